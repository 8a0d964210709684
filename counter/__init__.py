"""The counting service behind "Lượt truy cập", "Hôm nay" and "Trực tuyến".

A small ASGI app (app.py) in front of one of two stores (store/sqlite.py, store/redis.py).
It shares no code with the site build: the build only reads its /counts endpoint.
"""
