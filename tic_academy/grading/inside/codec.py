"""Plain data across the sandbox: the only values that cross between the trainee's process and the harness.

This module runs inside the sandbox (in the trainee's kernel and in the test harness), so it uses the
standard library only. A value is encoded as a JSON list whose first item is a tag:

=========  ===============================================  ==========================================
tag        value                                            payload
=========  ===============================================  ==========================================
``n``      None                                             -
``b``      bool                                             true/false
``i``      int                                              decimal text (any size)
``f``      float                                            repr text (``nan``, ``inf`` included)
``c``      complex                                          [real repr, imag repr]
``s``      str                                              the text
``y``      bytes                                            hex text
``l``      list                                             items
``t``      tuple                                            items
``d``      dict                                             [[key, value], ...] in order
``S``/``F`` set / frozenset                                 items
``da``     datetime.date                                    ISO text
``dt``     datetime.datetime (naive or with a fixed offset) ISO text
``tm``     datetime.time                                    ISO text
``td``     datetime.timedelta                               [days, seconds, microseconds]
``dec``    decimal.Decimal                                  text
``rg``     range                                            [start, stop, step]
``nt``     a namedtuple instance                            [type name, field names, items]
``ctr``    collections.Counter / OrderedDict / defaultdict  same as ``d`` (rebuilt as that type)
``od``
``dd``
``it``     a generator / iterator (materialised)            items
``kv``     dict keys / values / items view                  [kind, items]
``np``     numpy array                                      [dtype, shape, nested items]
``df``     pandas DataFrame                                 {columns, index, data, dtypes, names}
``se``     pandas Series                                    {index, data, dtype, name, index_name}
=========  ===============================================  ==========================================

Anything else is not plain data: the encoder calls ``opaque(value)`` to get a tag of its own (the trainee
side hands out *handles*; the harness refuses). Decoding never runs code from the value: it only builds
the types above, with limits on depth, item count and size.
"""

from __future__ import annotations

import collections
import datetime
import decimal

MAX_DEPTH = 60
MAX_ITEMS = 500_000
MAX_TEXT = 32 * 1024 * 1024

_SCALARS = {type(None), bool, int, float, complex, str, bytes}
_ITERATOR_TYPES = tuple({type(iter(x)) for x in ([], (), set(), {}, {}.keys(), {}.values(), {}.items(), "", b"", range(1))}
                        | {type(map(abs, [])), type(filter(None, [])), type(zip()), type(enumerate([])),
                           type(reversed([])), type((x for x in ()))})
_VIEW_KINDS = {type({}.keys()): "keys", type({}.values()): "values", type({}.items()): "items"}


class CodecError(ValueError):
    """A value could not be encoded or decoded as plain data."""


class _Budget:
    """Counts items so one value cannot grow without bound."""

    def __init__(self):
        self.items = 0
        self.text = 0

    def take(self, items: int = 1, text: int = 0) -> None:
        """Charge items and characters; raise CodecError past the limits."""
        self.items += items
        self.text += text
        if self.items > MAX_ITEMS or self.text > MAX_TEXT:
            raise CodecError("nilai terlalu besar untuk dikirim ke penguji")


def _iso(value) -> str:
    """Return the ISO text of a date, datetime or time."""
    return value.isoformat()


def encode(value, opaque, budget: _Budget | None = None, depth: int = 0, seen: frozenset = frozenset()):
    """Return the JSON-ready encoding of value; non-plain values go through opaque(value)."""
    budget = budget or _Budget()
    if depth > MAX_DEPTH:
        raise CodecError("struktur data terlalu dalam")
    budget.take()
    kind = type(value)
    if kind is type(None):
        return ["n"]
    if kind is bool:
        return ["b", value]
    if kind is int:
        return ["i", str(value)]
    if kind is float:
        return ["f", repr(value)]
    if kind is complex:
        return ["c", [repr(value.real), repr(value.imag)]]
    if kind is str:
        budget.take(text=len(value))
        return ["s", value]
    if kind is bytes:
        budget.take(text=len(value) * 2)
        return ["y", value.hex()]
    if kind in (datetime.date, datetime.datetime, datetime.time):
        tag = {datetime.date: "da", datetime.datetime: "dt", datetime.time: "tm"}[kind]
        return [tag, _iso(value)]
    if kind is datetime.timedelta:
        return ["td", [value.days, value.seconds, value.microseconds]]
    if kind is decimal.Decimal:
        return ["dec", str(value)]
    if kind is range:
        return ["rg", [value.start, value.stop, value.step]]
    if id(value) in seen:
        raise CodecError("struktur data berulang (memuat dirinya sendiri)")
    inner = seen | {id(value)}

    def each(items):
        return [encode(item, opaque, budget, depth + 1, inner) for item in items]

    def pairs(mapping):
        return [[encode(k, opaque, budget, depth + 1, inner), encode(v, opaque, budget, depth + 1, inner)]
                for k, v in dict.items(mapping)]

    if kind is list:
        return ["l", each(list.__iter__(value))]
    if kind is tuple:
        return ["t", each(tuple.__iter__(value))]
    if kind is dict:
        return ["d", pairs(value)]
    if kind is set:
        return ["S", each(set.__iter__(value))]
    if kind is frozenset:
        return ["F", each(frozenset.__iter__(value))]
    if kind is collections.Counter:
        return ["ctr", pairs(value)]
    if kind is collections.OrderedDict:
        return ["od", pairs(value)]
    if kind is collections.defaultdict:
        return ["dd", pairs(value)]
    if kind in _VIEW_KINDS:
        return ["kv", [_VIEW_KINDS[kind], each(value)]]
    if isinstance(value, _ITERATOR_TYPES) and type(value).__module__ == "builtins":
        return ["it", each(_bounded(value))]
    if _is_namedtuple(value):
        return ["nt", [kind.__name__, list(kind._fields), each(tuple.__iter__(value))]]
    special = _encode_library(value, opaque, budget, depth, inner)
    if special is not None:
        return special
    return opaque(value)


def _bounded(iterator):
    """Yield from an iterator, refusing more items than a value may hold."""
    for count, item in enumerate(iterator):
        if count >= MAX_ITEMS:
            raise CodecError("iterator menghasilkan terlalu banyak item")
        yield item


def _is_namedtuple(value) -> bool:
    """Is this an instance of a class made by collections.namedtuple (directly)?"""
    kind = type(value)
    fields = kind.__dict__.get("_fields")
    return (tuple in kind.__bases__ and len(kind.__bases__) == 1 and isinstance(fields, tuple)
            and all(type(name) is str for name in fields))


def _encode_library(value, opaque, budget, depth, seen):
    """Encode numpy scalars/arrays and pandas frames/series/timestamps as data, else None."""
    module = type(value).__module__ or ""
    if not (module.startswith("numpy") or module.startswith("pandas")):
        return None
    import numpy  # noqa: PLC0415 - only when the value is a numpy/pandas object

    if isinstance(value, numpy.generic):
        return encode(value.item(), opaque, budget, depth, seen)
    if isinstance(value, numpy.ndarray):
        if value.dtype.kind not in "biufcUSM?":
            return None
        return ["np", [value.dtype.str, list(value.shape), encode(value.tolist(), opaque, budget, depth + 1, seen)]]
    import pandas  # noqa: PLC0415

    if value is pandas.NaT:  # a missing moment; NaT is not a Timestamp instance
        return ["n"]
    if isinstance(value, pandas.Timestamp):
        return ["dt", value.to_pydatetime().isoformat()]
    if isinstance(value, pandas.DataFrame):
        return ["df", {
            "columns": encode(list(value.columns), opaque, budget, depth + 1, seen),
            "index": encode(list(value.index), opaque, budget, depth + 1, seen),
            "index_name": encode(value.index.name, opaque, budget, depth + 1, seen),
            "data": encode([[_cell(item) for item in row] for row in value.itertuples(index=False, name=None)],
                           opaque, budget, depth + 1, seen),
            "dtypes": [str(dtype) for dtype in value.dtypes],
        }]
    if isinstance(value, pandas.Series):
        return ["se", {
            "index": encode(list(value.index), opaque, budget, depth + 1, seen),
            "index_name": encode(value.index.name, opaque, budget, depth + 1, seen),
            "data": encode([_cell(item) for item in value.tolist()], opaque, budget, depth + 1, seen),
            "dtype": str(value.dtype),
            "name": encode(value.name, opaque, budget, depth + 1, seen),
        }]
    return None


def _cell(item):
    """Turn one pandas cell into a plain value (missing values become None, numpy scalars Python ones)."""
    module = type(item).__module__ or ""
    if module.startswith("pandas") or module.startswith("numpy"):
        import pandas  # noqa: PLC0415

        if item is pandas.NaT or item is pandas.NA:
            return None
        if isinstance(item, pandas.Timestamp):
            return item.to_pydatetime()
        if hasattr(item, "item"):
            return item.item()
    return item


def decode(data, resolve, budget: _Budget | None = None, depth: int = 0):
    """Rebuild a value from its encoding; resolve(data) builds the values of tags this module does not know."""
    budget = budget or _Budget()
    if depth > MAX_DEPTH:
        raise CodecError("struktur data terlalu dalam")
    if not isinstance(data, list) or not data or not isinstance(data[0], str):
        raise CodecError("data tidak dikenali")
    budget.take()
    tag, payload = data[0], (data[1] if len(data) > 1 else None)

    def each(items):
        if not isinstance(items, list):
            raise CodecError("data tidak dikenali")
        return [decode(item, resolve, budget, depth + 1) for item in items]

    def pairs(items):
        if not isinstance(items, list):
            raise CodecError("data tidak dikenali")
        out = []
        for pair in items:
            if not isinstance(pair, list) or len(pair) != 2:
                raise CodecError("data tidak dikenali")
            out.append((decode(pair[0], resolve, budget, depth + 1), decode(pair[1], resolve, budget, depth + 1)))
        return out

    try:
        if tag == "n":
            return None
        if tag == "b":
            return bool(payload)
        if tag == "i":
            if not isinstance(payload, str) or len(payload) > 5000:
                raise CodecError("bilangan terlalu besar")
            return int(payload)
        if tag == "f":
            return float(payload)
        if tag == "c":
            return complex(float(payload[0]), float(payload[1]))
        if tag == "s":
            if not isinstance(payload, str):
                raise CodecError("teks tidak dikenali")
            budget.take(text=len(payload))
            return payload
        if tag == "y":
            budget.take(text=len(payload))
            return bytes.fromhex(payload)
        if tag == "l":
            return each(payload)
        if tag == "t":
            return tuple(each(payload))
        if tag == "d":
            return dict(pairs(payload))
        if tag == "S":
            return set(each(payload))
        if tag == "F":
            return frozenset(each(payload))
        if tag == "ctr":
            return collections.Counter(dict(pairs(payload)))
        if tag == "od":
            return collections.OrderedDict(pairs(payload))
        if tag == "dd":
            return collections.defaultdict(None, pairs(payload))
        if tag == "da":
            return datetime.date.fromisoformat(payload)
        if tag == "dt":
            return datetime.datetime.fromisoformat(payload)
        if tag == "tm":
            return datetime.time.fromisoformat(payload)
        if tag == "td":
            return datetime.timedelta(days=int(payload[0]), seconds=int(payload[1]), microseconds=int(payload[2]))
        if tag == "dec":
            return decimal.Decimal(str(payload))
        if tag == "rg":
            return range(int(payload[0]), int(payload[1]), int(payload[2]))
        if tag == "it":
            return iter(each(payload))
        if tag == "kv":
            return _view(payload[0], each(payload[1]))
        if tag == "nt":
            return _namedtuple(str(payload[0]), [str(name) for name in payload[1]])(*each(payload[2]))
        if tag == "np":
            return _numpy(payload, resolve, budget, depth)
        if tag == "df":
            return _frame(payload, resolve, budget, depth)
        if tag == "se":
            return _series(payload, resolve, budget, depth)
    except CodecError:
        raise
    except (TypeError, ValueError, IndexError, KeyError, OverflowError, decimal.InvalidOperation) as error:
        raise CodecError(f"data tidak dikenali ({type(error).__name__})") from None
    return resolve(data)


def _view(kind: str, items: list):
    """Return a real dict view holding items, so comparisons behave as they would on the trainee's view."""
    if kind == "keys":
        return dict.fromkeys(items).keys()
    if kind == "items":
        return dict(items).items()
    return dict(enumerate(items)).values()


_NAMEDTUPLES: dict = {}


def _namedtuple(name: str, fields: list[str]):
    """Return a local namedtuple class with this name and fields (made once)."""
    key = (name, tuple(fields))
    if key not in _NAMEDTUPLES:
        safe = name if name.isidentifier() else "Tuple"
        _NAMEDTUPLES[key] = collections.namedtuple(safe, fields, rename=True)
    return _NAMEDTUPLES[key]


def _numpy(payload, resolve, budget, depth):
    """Rebuild a numpy array from dtype, shape and items."""
    import numpy  # noqa: PLC0415

    dtype, shape, items = payload
    array = numpy.array(decode(items, resolve, budget, depth + 1), dtype=numpy.dtype(str(dtype)))
    return array.reshape([int(n) for n in shape])


def _frame(payload, resolve, budget, depth):
    """Rebuild a pandas DataFrame from its columns, index, rows and dtypes."""
    import pandas  # noqa: PLC0415

    columns = decode(payload["columns"], resolve, budget, depth + 1)
    index = decode(payload["index"], resolve, budget, depth + 1)
    rows = decode(payload["data"], resolve, budget, depth + 1)
    frame = pandas.DataFrame(rows, columns=columns, index=index)
    frame.index.name = decode(payload["index_name"], resolve, budget, depth + 1)
    for column, dtype in zip(list(frame.columns), payload["dtypes"]):
        frame[column] = _as_dtype(frame[column], str(dtype))
    return frame


def _series(payload, resolve, budget, depth):
    """Rebuild a pandas Series from its index, items, dtype and name."""
    import pandas  # noqa: PLC0415

    series = pandas.Series(decode(payload["data"], resolve, budget, depth + 1),
                           index=decode(payload["index"], resolve, budget, depth + 1),
                           name=decode(payload["name"], resolve, budget, depth + 1), dtype=object)
    series.index.name = decode(payload["index_name"], resolve, budget, depth + 1)
    return _as_dtype(series, str(payload["dtype"]))


def _as_dtype(series, dtype: str):
    """Give a rebuilt column its original dtype where pandas can (else keep what it inferred)."""
    try:
        return series.astype(dtype)
    except (TypeError, ValueError):
        return series.infer_objects()

