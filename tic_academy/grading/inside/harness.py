"""The test harness: runs test cells in its own process and decides their verdicts.

It runs inside the sandbox as a different uid from the trainee's kernel, never executes trainee code,
and sees the trainee's values only as plain data or opaque handles (see codec.py). It talks to the
grading orchestrator over two pipes (file descriptors given on the command line) with length-prefixed
JSON messages:

- orchestrator -> harness: ``{"op": "run", "name": grade_id, "source": test cell source, "out_cap": n}``
- harness -> orchestrator: ``{"op": "rpc", "req": request}`` (a question for the trainee's agent; the
  orchestrator answers ``{"op": "rpc_reply", "reply": answer}``), then at the end of the cell
  ``{"op": "done", "status": "ok"|"error", "ename", "evalue", "traceback", "stdout"}``, plus
  ``"message": {"code", "params"}`` when the harness itself decided why (see grading/messages.py).
- orchestrator -> harness: ``{"op": "pytest", "files": {name: text}, "test_timeout_s": s}`` runs a project's
  hidden tests with pytest in this process (inside/project_plugin.py); the harness then sends
  ``{"op": "event", "event": ...}`` report lines and ``{"op": "done"}``. Its questions carry
  ``"timeout"`` (seconds left for the test); an answer ``{"timeout": true}`` means the time ran out.
  With ``"trainee_tree": path`` (only for the template's public tests, run by the browser editor:
  nothing hidden, nothing stored) the tree is also put on this process's path, as on a trainee's laptop.

Standard library only; the codec is loaded from the same directory.
"""

import ast
import builtins
import contextlib
import ctypes
import importlib
import importlib.util
import io
import json
import os
import struct
import sys
import time
import traceback

HERE = os.path.dirname(os.path.abspath(__file__))
MAX_MESSAGE = 64 * 1024 * 1024
VALUE_CHARS = 300
_MARKER = ("### BEGIN HIDDEN TESTS", "### END HIDDEN TESTS")


def _load(name):
    """Load a sibling module without putting this directory on sys.path."""
    spec = importlib.util.spec_from_file_location(name, os.path.join(HERE, name + ".py"))
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


codec = _load("codec")


def _coded(error: BaseException, code: str, **params) -> BaseException:
    """Attach a message code (grading/messages.py) to an exception the harness raises; return it.

    The code and its parameters leave the sandbox with the verdict, so the message is worded in the
    reader's language when shown; the exception's own text stays for the cell's output.
    """
    error.tic_code = {"code": code, "params": params}
    return error


class HandleMisuse(BaseException):
    """A test used a trainee object in a way the harness never delegates (==, bool, len, ...).

    A BaseException on purpose: a test's own `except TypeError:` or `except Exception:` must not
    swallow it and pass (the test cell then fails with this message).
    """


class TraineeBridgeError(RuntimeError):
    """The trainee's process did not answer a question properly."""


class TestTimeout(BaseException):
    """The trainee's code ran past a project test's time limit (a BaseException: no test may swallow it)."""

    __test__ = False


class Channel:
    """Length-prefixed JSON messages over two pipes."""

    def __init__(self, read_fd: int, write_fd: int):
        self.reader = os.fdopen(read_fd, "rb", buffering=0)
        self.writer = os.fdopen(write_fd, "wb", buffering=0)

    def send(self, message: dict) -> None:
        data = json.dumps(message).encode()
        self.writer.write(struct.pack(">I", len(data)) + data)

    def receive(self) -> dict:
        head = self._exactly(4)
        (size,) = struct.unpack(">I", head)
        if size > MAX_MESSAGE:
            raise _coded(TraineeBridgeError("pesan terlalu besar"), "trainee_bad_answer")
        return json.loads(self._exactly(size))

    def _exactly(self, size: int) -> bytes:
        chunks, left = [], size
        while left:
            chunk = self.reader.read(left)
            if not chunk:
                raise EOFError("saluran ditutup")
            chunks.append(chunk)
            left -= len(chunk)
        return b"".join(chunks)


class Bridge:
    """Asks the trainee's process (through the orchestrator) and turns answers into values."""

    def __init__(self, channel: Channel):
        self.channel = channel
        self.out = None  # the current cell's output buffer
        self._exceptions = {}
        self._handles = {}
        #: When the running project test must end (time.monotonic()), or None (notebook cells).
        self.deadline = None
        self.test_timeout_s = 0.0

    def ask(self, request: dict):
        """Send one request; return the decoded value (raising the trainee's exception if it raised)."""
        message = {"op": "rpc", "req": request}
        if self.deadline is not None:
            left = self.deadline - time.monotonic()
            if left <= 0:
                raise TestTimeout(f"batas waktu {self.test_timeout_s:g} detik per uji terlampaui")
            message["timeout"] = left
        self.channel.send(message)
        reply = self.channel.receive()
        if reply.get("op") != "rpc_reply":
            raise _coded(TraineeBridgeError("jawaban tak terduga dari orkestrator"), "trainee_bad_answer")
        answer = reply.get("reply")
        if not isinstance(answer, dict):
            raise _coded(TraineeBridgeError("proses peserta tidak menjawab dengan benar"), "trainee_bad_answer")
        if answer.get("timeout") is True and self.deadline is not None:
            raise TestTimeout(f"batas waktu {self.test_timeout_s:g} detik per uji terlampaui")
        if answer.get("broken"):
            # The orchestrator could not read the trainee's answer (or the trainee's process said so).
            raise _coded(TraineeBridgeError("proses peserta tidak menjawab penguji dengan benar"), "trainee_no_answer")
        printed = answer.get("out")
        if isinstance(printed, str) and printed and self.out is not None:
            self.out.write(printed)
        if answer.get("missing"):
            raise KeyError(request.get("name"))
        if "raise" in answer:
            raise self.exception(answer["raise"])
        if "ok" not in answer:
            raise _coded(TraineeBridgeError("proses peserta tidak menjawab dengan benar"), "trainee_bad_answer")
        try:
            return codec.decode(answer["ok"], self._resolve)
        except codec.CodecError as error:
            raise _coded(TraineeBridgeError(f"nilai dari kode peserta tidak dapat dibaca: {error}"),
                         "trainee_bad_value", detail=str(error)) from None

    def send_value(self, value):
        """Encode a value the test passes to trainee code: plain data or handles only."""
        return codec.encode(value, _refuse_opaque)

    def _resolve(self, data):
        """Build the values of the tags the codec leaves to us: handles, modules, exceptions."""
        tag = data[0]
        if tag == "h":
            key = int(data[1])
            if key not in self._handles:
                self._handles[key] = Handle(self, key, str(data[2]), str(data[3]))
            return self._handles[key]
        if tag == "mod":
            name = str(data[1])
            try:
                return importlib.import_module(name)
            except Exception:  # noqa: BLE001 - a module only the trainee has (e.g. written in /tmp)
                raise _coded(TraineeBridgeError(f"modul {name!r} milik kode peserta tidak dapat dipakai oleh uji"),
                             "trainee_module", name=name) from None
        if tag == "xc":
            return self.exception_class(data[1], data[2] if len(data) > 2 else None)
        if tag == "xi":
            return self.exception(data[1])
        raise codec.CodecError("data tidak dikenali")

    def exception_class(self, described: dict, key=None):
        """Return the local class for one of the trainee's exception classes.

        Builtin and importable library classes are the real ones (so `except sqlite3.IntegrityError`
        works); the trainee's own classes get a stand-in with the same name and ancestry, which builds
        its instances in the trainee's process when a test calls it.
        """
        if not isinstance(described, dict):
            return Exception
        module, name = str(described.get("module", "")), str(described.get("name", "Exception"))
        real = _real_exception_class(module, name)
        if real is not None:
            return real
        ident = (module, name)
        if ident not in self._exceptions:
            mro = described.get("mro") if isinstance(described.get("mro"), list) else []
            parent = self.exception_class({**mro[0], "mro": mro[1:]}) if mro and isinstance(mro[0], dict) else Exception
            if not issubclass(parent, Exception):
                parent = Exception
            safe = name.rsplit(".", 1)[-1]
            safe = safe if safe.isidentifier() else "GalatPeserta"
            self._exceptions[ident] = _StandInMeta(safe, (parent,), {
                "__module__": "kode_peserta", "_tic_remote": None,
                "__str__": lambda error: getattr(error, "tic_message", None) or Exception.__str__(error)})
        cls = self._exceptions[ident]
        if key is not None and cls.__dict__.get("_tic_remote") is None:
            type.__setattr__(cls, "_tic_remote", self._resolve(["h", key, name, "class"]))
        return cls

    def exception(self, described) -> BaseException:
        """Build, in the harness, an exception the trainee's code raised or returned (data only)."""
        if not isinstance(described, dict):
            return TraineeBridgeError("proses peserta tidak menjawab dengan benar")
        cls = self.exception_class(described)
        if not issubclass(cls, Exception):
            cls = RuntimeError  # SystemExit, KeyboardInterrupt... from trainee code end only the test
        args = None
        if described.get("args") is not None:
            try:
                args = codec.decode(described["args"], _no_opaque)
            except codec.CodecError:
                args = None
        message = str(described.get("message", ""))
        try:
            error = _construct_locally(cls, *(args if isinstance(args, tuple) else (message,)))
        except Exception:  # noqa: BLE001 - e.g. a library class with a different signature
            error = _construct_locally(cls, message) if isinstance(cls, _StandInMeta) else RuntimeError(message)
        attributes = described.get("attributes") if isinstance(described.get("attributes"), dict) else {}
        for attribute, value in attributes.items():
            try:
                setattr(error, str(attribute), codec.decode(value, _no_opaque))
            except (codec.CodecError, AttributeError, TypeError):
                continue
        if isinstance(cls, _StandInMeta):
            error.tic_message = message
        error.tic_from_trainee = True
        return error


class _StandInMeta(type):
    """Metaclass of stand-ins for the trainee's exception classes: calling one builds it remotely."""

    def __call__(cls, *args, **kwargs):
        remote = cls.__dict__.get("_tic_remote")
        if remote is None:
            return super().__call__(*args, **kwargs)
        return remote(*args, **kwargs)

    def __instancecheck__(cls, value):
        return type.__instancecheck__(cls, value)


def _construct_locally(cls, *args):
    """Make an instance without asking the trainee's process (for exceptions that arrive as data)."""
    if isinstance(cls, _StandInMeta):
        error = cls.__new__(cls, *args)
        Exception.__init__(error, *args)
        return error
    return cls(*args)


def _real_exception_class(module: str, name: str):
    """Return the harness's own class for a builtin or importable library exception, else None."""
    if module == "builtins":
        found = getattr(builtins, name, None)
    elif module and module != "__main__" and not module.startswith("kode_peserta"):
        try:
            found = importlib.import_module(module)
            for part in name.split("."):
                found = getattr(found, part)
        except Exception:  # noqa: BLE001 - not importable here: a stand-in is made instead
            return None
    else:
        return None
    return found if isinstance(found, type) and issubclass(found, BaseException) else None


def _refuse_opaque(value):
    """Only plain data and the trainee's own handles may be sent to trainee code."""
    if isinstance(value, Handle):
        return ["h", object.__getattribute__(value, "_tic_id")]
    name = type(value).__name__
    raise _coded(HandleMisuse(f"uji tidak dapat mengirim objek {name} ke kode peserta"), "handle_send", type=name)


def _no_opaque(data):
    raise codec.CodecError("bukan data biasa")


def _misuse(code: str, action: str):
    """Return a method that refuses an operation on a handle with a clear message (code: messages.HANDLE_ACTIONS)."""

    def refuse(self, *args, **kwargs):
        name = object.__getattribute__(self, "_tic_type")
        raise _coded(HandleMisuse(
            f"uji tidak dapat {action} objek {name} buatan kode peserta; "
            "kembalikan data biasa (angka, teks, list, dict, ...)"
        ), "handle_misuse", action=code, type=name)

    return refuse


class Handle:
    """A trainee object the harness may only read attributes of, index and call, all remotely."""

    __slots__ = ("_tic_bridge", "_tic_id", "_tic_type", "_tic_kind")

    def __init__(self, bridge, key, type_name, kind):
        object.__setattr__(self, "_tic_bridge", bridge)
        object.__setattr__(self, "_tic_id", key)
        object.__setattr__(self, "_tic_type", type_name)
        object.__setattr__(self, "_tic_kind", kind)

    def _ask(self, op, **fields):
        bridge = object.__getattribute__(self, "_tic_bridge")
        return bridge.ask({"op": op, "h": object.__getattribute__(self, "_tic_id"), **fields})

    def __getattr__(self, name):
        return self._ask("getattr", name=name)

    def __setattr__(self, name, value):
        bridge = object.__getattribute__(self, "_tic_bridge")
        self._ask("setattr", name=name, value=bridge.send_value(value))

    def __getitem__(self, key):
        bridge = object.__getattribute__(self, "_tic_bridge")
        return self._ask("getitem", key=bridge.send_value(key))

    def __setitem__(self, key, value):
        bridge = object.__getattribute__(self, "_tic_bridge")
        self._ask("setitem", key=bridge.send_value(key), value=bridge.send_value(value))

    def __call__(self, *args, **kwargs):
        bridge = object.__getattribute__(self, "_tic_bridge")
        return self._ask("call", args=[bridge.send_value(arg) for arg in args],
                         kwargs={str(key): bridge.send_value(value) for key, value in kwargs.items()})

    def __instancecheck__(self, value):
        bridge = object.__getattribute__(self, "_tic_bridge")
        return bridge.ask({"op": "isinstance", "value": bridge.send_value(value),
                           "cls": object.__getattribute__(self, "_tic_id")}) is True

    def __enter__(self):
        return self._ask("getattr", name="__enter__")()

    def __exit__(self, kind, value, tb):
        # The trainee's __exit__ runs, but may never swallow the test's exception.
        self._ask("getattr", name="__exit__")(None, None, None)
        return False

    def __repr__(self):
        return f"<objek {object.__getattribute__(self, '_tic_type')} dari kode peserta>"

    __eq__ = _misuse("eq", "membandingkan (==)")
    __ne__ = _misuse("ne", "membandingkan (!=)")
    __lt__ = __le__ = __gt__ = __ge__ = _misuse("order", "membandingkan (<, >)")
    __bool__ = _misuse("bool", "menguji benar/salah (bool)")
    __len__ = _misuse("len", "menghitung panjang (len)")
    __iter__ = _misuse("iter", "mengulang (for/iter)")
    __contains__ = _misuse("contains", "memeriksa keanggotaan (in)")
    __str__ = _misuse("str", "mengubah menjadi teks (str)")
    __format__ = _misuse("format", "memformat")
    __hash__ = _misuse("hash", "menghitung hash")
    __add__ = __radd__ = __sub__ = __rsub__ = __mul__ = __rmul__ = _misuse("arithmetic", "menghitung dengan")
    __truediv__ = __rtruediv__ = __floordiv__ = __mod__ = __pow__ = _misuse("arithmetic", "menghitung dengan")
    __neg__ = __abs__ = __int__ = __float__ = __index__ = _misuse("number", "mengubah menjadi angka")


class TraineeNamespace(dict):
    """The test cells' namespace: names they do not define come from the trainee's namespace."""

    def __init__(self, bridge: Bridge):
        super().__init__(__builtins__=builtins, __name__="__main__")
        self.bridge = bridge

    def __missing__(self, name):
        # Builtins stay the harness's own, whatever the trainee rebound (len, isinstance, ...).
        if not isinstance(name, str) or hasattr(builtins, name) or name.startswith("__"):
            raise KeyError(name)
        return self.bridge.ask({"op": "lookup", "name": name})


class TraineeGlobals:
    """`peserta.nama` reads a name of the trainee's namespace; `peserta.nama = nilai` rebinds it."""

    def __init__(self, bridge: Bridge):
        object.__setattr__(self, "_bridge", bridge)

    def __getattr__(self, name):
        try:
            return object.__getattribute__(self, "_bridge").ask({"op": "lookup", "name": name})
        except KeyError:
            raise _coded(AttributeError(f"kode peserta tidak mendefinisikan {name!r}"),
                         "trainee_undefined", name=name) from None

    def __setattr__(self, name, value):
        bridge = object.__getattribute__(self, "_bridge")
        bridge.ask({"op": "setglobal", "name": name, "value": bridge.send_value(value)})


def test_helpers(bridge: Bridge) -> dict:
    """Names every test cell may use: the trainee's globals, and helpers for tests of the trainee's tests.

    These run here, in the harness, so a trainee cannot redefine them to decide a verdict (a locked cell
    of the same name is shadowed). The trainee's test functions may be given as functions or by name;
    a buggy version as a function (a handle, e.g. from a SETUP block) or as Python text defining it.
    """
    peserta = TraineeGlobals(bridge)

    def _test(test):
        return getattr(peserta, test) if isinstance(test, str) else test

    def _version(name, version):
        if isinstance(version, str):
            return bridge.ask({"op": "define", "name": name, "code": version})
        return version

    def _fails(test, *args) -> bool:
        try:
            _test(test)(*args)
        except Exception:  # noqa: BLE001 - any failure of the trainee's test counts as catching the bug
            return True
        return False

    def semua_lolos(daftar_tes):
        """Run each of the trainee's test functions; any error fails the calling test."""
        for tes in daftar_tes:
            _test(tes)()

    def ada_yang_gagal(nama, pengganti, daftar_tes):
        """True when at least one of the trainee's tests fails while `nama` is replaced by `pengganti`."""
        asli = getattr(peserta, nama)
        pengganti = _version(nama, pengganti)
        setattr(peserta, nama, pengganti)
        try:
            return any(_fails(tes) for tes in daftar_tes)
        finally:
            setattr(peserta, nama, asli)

    def periksa_uji(uji, benar, daftar_mutan):
        """The trainee's test `uji(f)` must pass on `benar` and fail on every buggy version."""
        uji, benar = _test(uji), _test(benar)
        nama = benar.__name__
        uji(benar)
        for label, mutan in daftar_mutan.items():
            mutan = _version(nama, mutan)
            asli = getattr(peserta, nama)
            setattr(peserta, nama, mutan)
            try:
                caught = _fails(uji, mutan)
            finally:
                setattr(peserta, nama, asli)
            if not caught:
                raise _coded(AssertionError(
                    f"Tes Anda tetap lolos pada implementasi yang salah ({label}). Tambahkan kasus uji."),
                    "tests_miss_bug", label=str(label))

    return {"peserta": peserta, "semua_lolos": semua_lolos, "ada_yang_gagal": ada_yang_gagal,
            "periksa_uji": periksa_uji, "_tic_compare": _tic_compare}


class ComparisonFailed(AssertionError):
    """An `assert a == b` that failed, with both values (shown for visible tests)."""


def _short(value) -> str:
    """A bounded repr of a value for a message."""
    try:
        text = repr(value)
    except Exception:  # noqa: BLE001
        text = f"<{type(value).__name__}>"
    return text if len(text) <= VALUE_CHARS else text[: VALUE_CHARS - 3] + "..."


def _tic_compare(left, right, op, message, visible):
    """Evaluate `left op right` as an assert; on failure raise with the values when the test is visible."""
    ops = {"==": lambda a, b: a == b, "!=": lambda a, b: a != b, "<": lambda a, b: a < b,
           "<=": lambda a, b: a <= b, ">": lambda a, b: a > b, ">=": lambda a, b: a >= b,
           "is": lambda a, b: a is b, "is not": lambda a, b: a is not b,
           "in": lambda a, b: a in b, "not in": lambda a, b: a not in b}
    if ops[op](left, right):
        return
    text = "" if message is None else str(message)
    if not visible:
        raise ComparisonFailed(text)  # a hidden test's values stay hidden: only its own message is shown
    shown_left, shown_right = _short(left), _short(right)
    detail = f"Hasil kode Anda: {shown_left} · diharapkan ({op}): {shown_right}"
    error = ComparisonFailed(f"{text}\n{detail}" if text else detail)
    raise _coded(error, "compare", note=text or None, left=shown_left, op=op, right=shown_right)


_OP_TEXT = {ast.Eq: "==", ast.NotEq: "!=", ast.Lt: "<", ast.LtE: "<=", ast.Gt: ">", ast.GtE: ">=",
            ast.Is: "is", ast.IsNot: "is not", ast.In: "in", ast.NotIn: "not in"}


class _AssertRewriter(ast.NodeTransformer):
    """Turn `assert a <op> b, msg` into a call that knows both values (like pytest, much smaller)."""

    def __init__(self, hidden_lines: set[int]):
        self.hidden_lines = hidden_lines

    def visit_Assert(self, node):
        test = node.test
        if not (isinstance(test, ast.Compare) and len(test.ops) == 1 and type(test.ops[0]) in _OP_TEXT):
            return node
        call = ast.Call(
            func=ast.Name("_tic_compare", ast.Load()),
            args=[test.left, test.comparators[0], ast.Constant(_OP_TEXT[type(test.ops[0])]),
                  node.msg if node.msg is not None else ast.Constant(None),
                  ast.Constant(node.lineno not in self.hidden_lines)],
            keywords=[],
        )
        return ast.copy_location(ast.Expr(call), node)


def _hidden_lines(source: str) -> set[int]:
    """Line numbers inside hidden-test blocks."""
    lines, inside = set(), False
    for number, line in enumerate(source.splitlines(), start=1):
        stripped = line.strip()
        if stripped.startswith(_MARKER[0]):
            inside = True
        elif stripped.startswith(_MARKER[1]):
            inside = False
        elif inside:
            lines.add(number)
    return lines


class _CappedText(io.StringIO):
    """Output of one test cell, cut at a size."""

    def __init__(self, cap: int):
        super().__init__()
        self.cap = cap

    def write(self, text):
        room = self.cap - self.tell()
        if room > 0:
            super().write(str(text)[:room])
        return len(text)


def _traceback_lines(error: BaseException, filename: str, source: str) -> list[str]:
    """The test cell's own lines of the traceback (nothing from the harness itself)."""
    lines = source.splitlines()
    shown = []
    for frame in traceback.extract_tb(error.__traceback__):
        if frame.filename == filename and frame.lineno and 0 < frame.lineno <= len(lines):
            shown.append(f"Baris {frame.lineno}: {lines[frame.lineno - 1].strip()}")
    return shown


def run_cell(namespace: TraineeNamespace, name: str, source: str, out_cap: int) -> dict:
    """Run one test cell; return its outcome as data."""
    filename = f"<uji {name}>"
    out = _CappedText(out_cap)
    namespace.bridge.out = out
    result = {"op": "done", "status": "ok", "ename": "", "evalue": "", "traceback": []}
    try:
        tree = _AssertRewriter(_hidden_lines(source)).visit(ast.parse(source, filename))
        code = compile(ast.fix_missing_locations(tree), filename, "exec")
        with contextlib.redirect_stdout(out), contextlib.redirect_stderr(out):
            exec(code, namespace)  # noqa: S102 - test cells are the curriculum's own code
    except BaseException as error:  # noqa: BLE001 - every failure of a test is its verdict
        ename = "AssertionError" if isinstance(error, AssertionError) else type(error).__name__
        result.update(status="error", ename=ename, evalue=_text(error),
                      traceback=_traceback_lines(error, filename, source))
        # Only the harness's own exceptions carry a code; one built from the trainee's data never does.
        coded = None if getattr(error, "tic_from_trainee", False) else getattr(error, "tic_code", None)
        if isinstance(coded, dict):
            result["message"] = coded
    finally:
        namespace.bridge.out = None
    result["stdout"] = out.getvalue()
    return result


def _text(error: BaseException) -> str:
    """The message of an exception, as Python would print it after the colon."""
    try:
        return str(error)
    except Exception:  # noqa: BLE001
        return ""


def _not_dumpable() -> None:
    """Keep same-uid processes from reading this one's memory (/proc/<pid>/mem) or attaching to it."""
    try:
        ctypes.CDLL(None).prctl(4, 0, 0, 0, 0)  # PR_SET_DUMPABLE = 4
    except (OSError, AttributeError):
        pass


def main(argv: list[str]) -> None:
    """Serve test cells until the orchestrator closes the channel."""
    _not_dumpable()
    os.umask(0o002)
    channel = Channel(int(argv[1]), int(argv[2]))
    bridge = Bridge(channel)
    namespace = TraineeNamespace(bridge)
    namespace.update(test_helpers(bridge))
    channel.send({"op": "ready"})
    while True:
        try:
            message = channel.receive()
        except EOFError:
            return
        if message.get("op") == "run":
            cap = int(message.get("out_cap", 64 * 1024))
            channel.send(run_cell(namespace, str(message.get("name", "")), str(message.get("source", "")), cap))
        elif message.get("op") == "pytest":
            # Loaded only for projects: it imports pytest, which notebook gradings never need.
            project_plugin = _load("project_plugin")
            project_plugin.run(channel, bridge, message, TestTimeout)
        elif message.get("op") == "exit":
            return


if __name__ == "__main__":
    main(sys.argv)
