"""The index's binary pieces: varints, sorted page numbers as gaps, and the shard hash.

theme/static/js/search.js reads them back; the two must change together.
"""


def varint(value: int, out: bytearray) -> None:
    while value >= 0x80:
        out.append((value & 0x7F) | 0x80)
        value >>= 7
    out.append(value)


def text(value: str, out: bytearray) -> None:
    data = value.encode()
    varint(len(data), out)
    out += data


def posting(numbers, out: bytearray) -> None:
    """Sorted page numbers: their count, then each one's gap from the one before."""
    varint(len(numbers), out)
    last = -1
    for number in numbers:
        varint(number - last - 1, out)
        last = number


def read_varint(data: bytes, at: int) -> tuple[int, int]:
    value = shift = 0
    while True:
        byte = data[at]
        at += 1
        value |= (byte & 0x7F) << shift
        if byte < 0x80:
            return value, at
        shift += 7


def read_posting(data: bytes, at: int) -> tuple[list[int], int]:
    count, at = read_varint(data, at)
    numbers, last = [], -1
    for _ in range(count):
        gap, at = read_varint(data, at)
        last += gap + 1
        numbers.append(last)
    return numbers, at


def shard_of(key: str, shards: int) -> int:
    """FNV-1a (32 bits) of the key's UTF-8: cheap and the same in JavaScript."""
    value = 0x811C9DC5
    for byte in key.encode():
        value = ((value ^ byte) * 0x01000193) & 0xFFFFFFFF
    return value % shards
