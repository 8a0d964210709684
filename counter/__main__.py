"""`python -m counter serve | set-start-total N [--replace] | show`."""

import argparse
import asyncio
import json
import sys

from .config import Config
from .store import StartTotalConflict, open_store


def serve(config: Config) -> None:
    import uvicorn

    # One process: the SQLite store keeps visitor state in memory and owns its file.
    # Several servers share counts through Redis instead (COUNTER_STORE=redis://...).
    uvicorn.run(
        "counter.app:create_app",
        factory=True,
        host=config.host,
        port=config.port,
        workers=1,
        log_level="warning",
        access_log=False,
        proxy_headers=False,
        server_header=False,
        date_header=False,
        timeout_graceful_shutdown=5,
    )


async def _with_store(config: Config, action):
    store = open_store(
        config.store,
        synchronous=config.sqlite_synchronous,
        prefix=config.redis_prefix,
        timeout=config.store_timeout,
    )
    await store.open()
    try:
        return await action(store)
    finally:
        await store.close()


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(prog="python -m counter", description=__doc__)
    commands = parser.add_subparsers(dest="command", required=True)
    commands.add_parser("serve", help="run the service (settings: COUNTER_* variables)")
    start = commands.add_parser(
        "set-start-total", help="carry over the old portal's visit total, once"
    )
    start.add_argument("total", type=int)
    start.add_argument("--replace", action="store_true", help="change a total already set")
    commands.add_parser("show", help="print the figures as JSON")
    args = parser.parse_args(argv)
    config = Config.from_env()
    if args.command == "serve":
        serve(config)
        return 0
    if args.command == "set-start-total":
        if args.total < 0:
            parser.error("the starting total cannot be negative")
        try:
            asyncio.run(_with_store(config, lambda s: s.set_start_total(args.total, args.replace)))
        except StartTotalConflict as error:
            print(f"Không đặt lại: {error}. Dùng --replace nếu thật sự muốn đổi.", file=sys.stderr)
            return 1
        print(f"Tổng lượt truy cập ban đầu: {args.total}")
        return 0
    import time

    from .identity import day_of

    now = time.time()
    figures = asyncio.run(_with_store(config, lambda s: s.figures(now, day_of(now))))
    print(json.dumps(figures.__dict__))
    return 0


if __name__ == "__main__":
    sys.exit(main())
