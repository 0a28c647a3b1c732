"""The grading harness's plain-data rules (``grading/inside/codec.py``): what crosses the sandbox, by value.

Every plain type comes back as the same value of the same type; anything else goes to ``opaque``
(encoding) or ``resolve`` (decoding); depth, size and cycles are refused at exactly their limits.
Written for the mutation run (``make mutate``). Pure functions: no kernel, no database.
"""
import collections
import datetime
import decimal

import numpy
import pandas
import pytest

from tic_academy.grading.inside import codec
from tic_academy.grading.inside.codec import MAX_DEPTH, MAX_ITEMS, MAX_TEXT, CodecError, decode, encode

Titik = collections.namedtuple("Titik", ["x", "y"])


def refuse(value):
    """An ``opaque`` that marks a value as not plain data."""
    return ["handle", type(value).__name__]


def unknown(data):
    """A ``resolve`` for tags the codec does not know."""
    return ("resolved", data[0])


def round_trip(value):
    """The value after encoding and decoding."""
    return decode(encode(value, refuse), unknown)


PLAIN = [
    None, True, False, 0, -7, 10**30, 1.5, float("inf"), complex(1, -2), "", "teks", b"\x00\xff",
    [1, [2, [3]]], (1, "a"), (), {"a": 1, 2: [3]}, {1, 2}, frozenset({"x"}), datetime.date(2026, 3, 2),
    datetime.datetime(2026, 3, 2, 9, 30, tzinfo=datetime.timezone(datetime.timedelta(hours=7))),
    datetime.time(9, 30, 15), datetime.timedelta(days=2, seconds=5, microseconds=7), decimal.Decimal("1.10"),
    range(2, 11, 3), collections.Counter("abca"), collections.OrderedDict([("b", 1), ("a", 2)]), Titik(1, 2),
]


@pytest.mark.parametrize("value", PLAIN, ids=[f"{type(v).__name__}-{n}" for n, v in enumerate(PLAIN)])
def test_plain_values_come_back_equal_and_of_the_same_type(value):
    """Does every plain value come back equal, of exactly the same type?"""
    back = round_trip(value)
    assert back == value and type(back).__name__ == type(value).__name__
    if isinstance(value, (list, tuple, dict)):
        assert repr(back) == repr(value)


def test_each_type_has_its_own_tag():
    """Is each plain type sent under its documented tag?"""
    tags = [encode(value, refuse)[0] for value in PLAIN]
    assert tags == ["n", "b", "b", "i", "i", "i", "f", "f", "c", "s", "s", "y", "l", "t", "t", "d", "S", "F",
                    "da", "dt", "tm", "td", "dec", "rg", "ctr", "od", "nt"]
    assert encode(10**30, refuse) == ["i", str(10**30)]
    assert encode(b"\x01", refuse) == ["y", "01"]


def test_a_defaultdict_and_dict_views_and_iterators_come_back_as_data():
    """Do a defaultdict, keys/values/items views, a generator and a map come back with the same items?"""
    counts = collections.defaultdict(int, {"a": 1})
    back = round_trip(counts)
    assert type(back) is collections.defaultdict and back == {"a": 1}
    data = {"a": 1, "b": 2}
    assert list(round_trip(data.keys())) == ["a", "b"] and type(round_trip(data.keys())) is type(data.keys())
    assert list(round_trip(data.values())) == [1, 2] and type(round_trip(data.values())) is type(data.values())
    assert list(round_trip(data.items())) == [("a", 1), ("b", 2)]
    assert type(round_trip(data.items())) is type(data.items())
    assert list(round_trip(x * 2 for x in range(3))) == [0, 2, 4]
    assert list(round_trip(map(abs, [-1, -2]))) == [1, 2]
    assert encode(iter([1]), refuse)[0] == "it"


def test_other_objects_go_to_opaque_and_unknown_tags_to_resolve():
    """Is an object that is not plain data handed to ``opaque``, and an unknown tag to ``resolve``?"""

    class Pajak:
        pass

    class MyList(list):
        pass

    assert encode(Pajak(), refuse) == ["handle", "Pajak"]
    assert encode(MyList([1]), refuse) == ["handle", "MyList"]  # a subclass is not the plain type
    assert encode([Pajak()], refuse) == ["l", [["handle", "Pajak"]]]
    assert decode(["handle", "Pajak"], unknown) == ("resolved", "handle")
    assert decode(["n"], unknown) is None


def test_a_namedtuple_only_when_made_by_namedtuple():
    """Is a real namedtuple sent as one, while a tuple subclass with odd fields is not?"""

    class Odd(tuple):
        _fields = ("a", 1)

    class Mixin:
        pass

    class Both(tuple, Mixin):
        _fields = ("a",)

    assert encode(Titik(1, 2), refuse)[0] == "nt"
    assert encode(Odd((1, 2)), refuse) == ["handle", "Odd"]
    assert codec._is_namedtuple(Titik(1, 2)) and not codec._is_namedtuple(Odd((1,)))
    assert not codec._is_namedtuple((1, 2)) and not codec._is_namedtuple(Both((1,)))
    back = decode(["nt", ["bukan nama", ["a", "b"], [["i", "1"], ["i", "2"]]]], unknown)
    assert tuple(back) == (1, 2) and type(back).__name__ == "Tuple"


def nested(depth):
    """A list nested ``depth`` levels deep."""
    value = []
    for _ in range(depth):
        value = [value]
    return value


def test_depth_is_refused_past_the_limit_not_at_it():
    """Is a value exactly MAX_DEPTH deep sent and received, and one level more refused both ways?"""
    assert round_trip(nested(MAX_DEPTH)) == nested(MAX_DEPTH)
    with pytest.raises(CodecError):
        encode(nested(MAX_DEPTH + 1), refuse)
    deep = encode(nested(MAX_DEPTH), refuse)
    with pytest.raises(CodecError):
        decode(["l", [deep]], unknown)


def test_a_value_that_contains_itself_is_refused_but_shared_parts_are_fine():
    """Is a list holding itself refused, while the same list used twice is sent twice?"""
    loop = [1]
    loop.append(loop)
    with pytest.raises(CodecError):
        encode(loop, refuse)
    shared = [1, 2]
    assert round_trip([shared, shared, {"a": shared}]) == [[1, 2], [1, 2], {"a": [1, 2]}]


def test_the_budget_refuses_just_past_its_limits():
    """Does a budget allow exactly MAX_ITEMS items and MAX_TEXT characters, and refuse one more?"""
    budget = codec._Budget()
    budget.take(MAX_ITEMS - 1)
    budget.take()
    assert budget.items == MAX_ITEMS
    with pytest.raises(CodecError):
        budget.take()
    text = codec._Budget()
    text.take(0, MAX_TEXT)
    assert (text.items, text.text) == (0, MAX_TEXT)
    with pytest.raises(CodecError):
        text.take(0, 1)


def test_every_item_and_character_is_charged():
    """Are an encoded value's items (containers too) and text (bytes twice, as hex) charged to the budget?"""
    # A text or bytes value is charged as two items: once as a value, once with its characters.
    budget = codec._Budget()
    encode(["abc", b"\x01\x02", 5], refuse, budget)
    assert (budget.items, budget.text) == (6, 3 + 4)
    back = codec._Budget()
    decode(encode(["abc", b"\x01\x02", 5], refuse), unknown, back)
    assert (back.items, back.text) == (6, 3 + 4)


def test_an_endless_iterator_is_refused_after_max_items():
    """Does an iterator with exactly MAX_ITEMS items pass, and one with more get refused?"""
    assert sum(1 for _ in codec._bounded(iter(range(MAX_ITEMS)))) == MAX_ITEMS
    with pytest.raises(CodecError):
        sum(1 for _ in codec._bounded(iter(range(MAX_ITEMS + 1))))


def test_huge_integers_are_refused_when_decoding():
    """Is an integer of 4300 digits (Python's own limit) accepted and one of 5001 refused?"""
    assert decode(["i", "9" * 4300], unknown) == int("9" * 4300)
    with pytest.raises(CodecError):
        decode(["i", "9" * 5001], unknown)
    with pytest.raises(CodecError):
        decode(["i", 5], unknown)


@pytest.mark.parametrize("data", [
    "teks", [], [5], ["s", 5], ["l", "bukan daftar"], ["d", [[1]]], ["d", "x"], ["d", [5]], ["td", [1]],
    ["rg", [1, 2]], ["c", ["x", "1"]], ["da", "bukan tanggal"], ["dec", "x"], ["y", "zz"], ["f", "x"],
])
def test_malformed_data_is_refused_with_a_codec_error(data):
    """Is malformed data refused as CodecError (never another exception, never a value)?"""
    with pytest.raises(CodecError):
        decode(data, unknown)


def test_a_tag_alone_decodes_with_no_payload():
    """Does a tag without a payload decode (None payload) instead of failing on a missing item?"""
    assert decode(["n"], unknown) is None
    assert decode(["b"], unknown) is False


def test_numpy_values_come_back_as_arrays_and_python_numbers():
    """Do numpy arrays come back with dtype and shape, and numpy scalars as Python numbers?"""
    array = numpy.arange(6, dtype="int32").reshape(2, 3)
    back = round_trip(array)
    assert back.dtype == array.dtype and back.shape == (2, 3) and (back == array).all()
    assert encode(numpy.int64(5), refuse) == ["i", "5"]
    assert encode(numpy.array([object()], dtype=object), refuse) == ["handle", "ndarray"]
    assert encode([numpy.float64(1.5)], refuse) == ["l", [["f", "1.5"]]]


def test_pandas_frames_and_series_come_back_with_their_labels_and_types():
    """Do a DataFrame and a Series come back with columns, index, names, dtypes and missing values?"""
    frame = pandas.DataFrame({"nama": ["a", "b"], "nilai": [1.5, None], "jumlah": [1, 2]},
                             index=pandas.Index([10, 20], name="no"))
    back = round_trip(frame)
    pandas.testing.assert_frame_equal(back, frame)
    series = pandas.Series([1, 2], index=["x", "y"], name="skor")
    series.index.name = "kode"
    pandas.testing.assert_series_equal(round_trip(series), series)
    moment = pandas.Timestamp("2026-03-02 09:30")
    assert round_trip(moment) == datetime.datetime(2026, 3, 2, 9, 30)
    stamps = pandas.Series(pandas.to_datetime(["2026-03-02", None]))
    assert round_trip(stamps).tolist()[0] == pandas.Timestamp("2026-03-02")
    assert codec._cell(numpy.int64(3)) == 3 and type(codec._cell(numpy.int64(3))) is int
    assert codec._cell(pandas.NA) is None and codec._cell("a") == "a"


def test_a_column_that_cannot_take_its_dtype_keeps_what_pandas_inferred():
    """Is a column whose dtype cannot be rebuilt kept with the type pandas inferred (not an error)?"""
    series = codec._as_dtype(pandas.Series(["a", "b"], dtype=object), "int64")
    assert series.tolist() == ["a", "b"]


def test_a_missing_pandas_timestamp_comes_back_as_none():
    """Is pandas.NaT (a missing moment, e.g. in ``series.tolist()``) sent as None, not as a handle?"""
    assert encode(pandas.NaT, refuse) == ["n"]
    moments = pandas.Series(pandas.to_datetime(["2026-03-02", None])).tolist()
    assert round_trip(moments) == [datetime.datetime(2026, 3, 2), None]


def nested_dicts(depth):
    """A dict nested ``depth`` levels deep (values)."""
    value = {}
    for _ in range(depth):
        value = {"a": value}
    return value


def nested_tuples(depth):
    """A tuple nested ``depth`` levels deep."""
    value = ()
    for _ in range(depth):
        value = (value,)
    return value


def test_depth_counts_dict_keys_and_values_too():
    """Are a dict's values and keys one level deeper than the dict, refused exactly past the limit?"""
    assert round_trip(nested_dicts(MAX_DEPTH)) == nested_dicts(MAX_DEPTH)
    with pytest.raises(CodecError, match="dalam"):
        encode(nested_dicts(MAX_DEPTH + 1), refuse)
    deep_key = nested_tuples(MAX_DEPTH - 1)
    assert round_trip({deep_key: 1}) == {deep_key: 1}
    with pytest.raises(CodecError, match="dalam"):
        encode({nested_tuples(MAX_DEPTH): 1}, refuse)


def test_a_loop_is_named_as_a_loop_not_as_depth():
    """Is a value that contains itself refused as a loop (not only once it runs too deep)?"""
    loop = {}
    loop["diri"] = loop
    with pytest.raises(CodecError, match="berulang"):
        encode(loop, refuse)
    listed = []
    listed.append(listed)
    with pytest.raises(CodecError, match="berulang"):
        encode(listed, refuse)


def test_a_plain_object_is_not_taken_for_an_iterator():
    """Is a bare ``object()`` (a builtins type that is no iterator) handed to opaque, not iterated?"""
    assert encode(object(), refuse) == ["handle", "object"]


def test_a_dict_pair_must_have_exactly_two_parts():
    """Is a dict entry with three parts refused, not read as its first two?"""
    with pytest.raises(CodecError):
        decode(["d", [[["s", "a"], ["i", "1"], ["i", "2"]]]], unknown)


def test_decoding_counts_dict_depth_too():
    """Is a dict nested deeper than the limit refused when decoding, through its values and its keys?"""
    assert decode(encode(nested_dicts(MAX_DEPTH), refuse), unknown) == nested_dicts(MAX_DEPTH)
    deep_value = encode(nested_dicts(MAX_DEPTH), refuse)
    with pytest.raises(CodecError, match="dalam"):
        decode(["d", [[["s", "b"], deep_value]]], unknown)
    deep_key = encode(nested_tuples(MAX_DEPTH - 1), refuse)
    assert decode(["d", [[deep_key, ["n"]]]], unknown) == {nested_tuples(MAX_DEPTH - 1): None}
    with pytest.raises(CodecError, match="dalam"):
        decode(["d", [[["t", [deep_key]], ["n"]]]], unknown)


def test_an_overlong_number_is_refused_as_too_big():
    """Is integer text over 5000 digits refused with the "too big" message before it is parsed?"""
    with pytest.raises(CodecError, match="terlalu besar"):
        decode(["i", "9" * 5001], unknown)


def test_a_namedtuple_with_reserved_field_names_comes_back_renamed():
    """Does a namedtuple whose field names Python refuses (a keyword, a digit first) come back, fields renamed?"""
    back = decode(["nt", ["Baris", ["nama", "class", "1x"], [["s", "a"], ["i", "1"], ["i", "2"]]]], unknown)
    assert tuple(back) == ("a", 1, 2) and back._fields == ("nama", "_1", "_2")
