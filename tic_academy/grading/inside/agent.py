"""The trainee side of the bridge: answers the harness's questions about the trainee's namespace.

This file is executed inside the trainee's sandboxed kernel, which the trainee's code controls, so
nothing here is trusted: whatever it answers is only ever *data* for the harness, which decides every
verdict itself. Standard library only (plus the codec next to it, executed into the same namespace).

One request, one answer, both JSON text (see ``handle``):

- ``{"op": "lookup", "name": n}``                 the value bound to a name in the trainee's namespace
- ``{"op": "import", "name": n}``                 a module of the trainee's project, imported by name (a handle)
- ``{"op": "getattr", "h": id, "name": n}``       an attribute of a handle
- ``{"op": "setattr", "h": id, "name": n, "value": v}``
- ``{"op": "getitem", "h": id, "key": k}`` / ``{"op": "setitem", ..., "value": v}``
- ``{"op": "call", "h": id, "args": [...], "kwargs": {...}}``
- ``{"op": "isinstance", "value": v, "cls": id}``
- ``{"op": "setglobal", "name": n, "value": v}``      rebind a name (tests of the trainee's tests)
- ``{"op": "define", "name": n, "code": text}``       define an exercise's buggy version of ``n``

Answers: ``{"ok": value}``, ``{"missing": true}`` or ``{"raise": exception}``, each with ``"out"``, the
text the trainee's code printed meanwhile.
"""

import contextlib
import importlib
import io
import json
import types

#: Printed output kept per request.
MAX_OUT = 64 * 1024


class _CappedText(io.StringIO):
    """A text buffer that keeps only the first MAX_OUT characters."""

    def write(self, text):
        room = MAX_OUT - self.tell()
        if room > 0:
            super().write(str(text)[:room])
        return len(text)


class Agent:
    """Keeps the objects handed out as handles and answers requests about them."""

    def __init__(self, namespace, codec, max_answer):
        self.namespace = namespace
        self.codec = codec
        self.max_answer = max_answer
        self.objects = {}
        #: A project grading's folder (set at boot): its modules are handles, the harness has no copy of them.
        self.project_root = None
        #: id(object) -> key, so one object is always the same handle (and `is` works in the harness).
        self.keys = {}

    def _handle(self, value):
        """Return the encoding of a non-plain value: a module name, an exception class, or a handle."""
        if isinstance(value, types.ModuleType) and not self._own_module(value):
            return ["mod", getattr(value, "__name__", "")]
        if isinstance(value, BaseException):
            return ["xi", self._exception(value)]
        key = self._key(value)
        if isinstance(value, type) and issubclass(value, BaseException):
            return ["xc", _exception_class(value), key]
        kind = "class" if isinstance(value, type) else "callable" if callable(value) else "object"
        return ["h", key, _type_name(value if isinstance(value, type) else type(value)), kind]

    def _own_module(self, module):
        """Is this a module of the project under grading (a file under project_root)?"""
        path = getattr(module, "__file__", None)
        root = self.project_root
        return bool(root) and isinstance(path, str) and path.startswith(root.rstrip("/") + "/")

    def _key(self, value):
        """Return the handle number of an object, keeping it alive for later requests."""
        key = self.keys.get(id(value))
        if key is None or self.objects.get(key) is not value:
            key = len(self.objects) + 1
            self.objects[key] = value
            self.keys[id(value)] = key
        return key

    def _encode(self, value):
        return self.codec.encode(value, self._handle)

    def _decode(self, data):
        return self.codec.decode(data, self._resolve)

    def _resolve(self, data):
        """Turn the harness's references back into objects (handles it was given before)."""
        if data[0] == "h" and data[1] in self.objects:
            return self.objects[data[1]]
        raise self.codec.CodecError("rujukan objek tidak dikenal")

    def handle(self, request_text):
        """Answer one request (JSON text) with JSON text; never raises."""
        out = _CappedText()
        try:
            request = json.loads(request_text)
            with contextlib.redirect_stdout(out), contextlib.redirect_stderr(out):
                answer = self._answer(request)
        except BaseException as error:  # noqa: BLE001 - any failure of trainee code is data for the harness
            answer = {"raise": self._exception(error)}
        answer["out"] = out.getvalue()
        try:
            text = json.dumps(answer)
        except (TypeError, ValueError):
            return _refusal("TypeError", "jawaban tidak dapat dikirim ke penguji")
        if len(text) > self.max_answer:
            return _refusal("ValueError", f"nilai terlalu besar untuk dikirim ke penguji (maks {self.max_answer // 1024} KiB)")
        return text

    def _answer(self, request):
        """Carry out one request; return the answer without the printed output."""
        op = request.get("op")
        if op == "lookup":
            name = request["name"]
            if name not in self.namespace:
                return {"missing": True}
            return {"ok": self._encode(self.namespace[name])}
        if op == "import":
            # Always a handle: the harness must not import the trainee's module itself (it has no copy).
            module = importlib.import_module(str(request["name"]))
            return {"ok": ["h", self._key(module), "module", "object"]}
        if op == "setglobal":
            self.namespace[str(request["name"])] = self._decode(request["value"])
            return {"ok": ["n"]}
        if op == "define":
            # A buggy version for a "test your tests" task, written by the exercise as text: defined
            # beside the trainee's code (with `_asli` the real one), under the real one's name and docstring.
            name = str(request["name"])
            original = self.namespace.get(name)
            space = dict(self.namespace, _asli=original)
            exec(compile(str(request["code"]), "<versi-cacat>", "exec"), space)  # noqa: S102 - exercise text
            replacement = space[name]
            for attribute in ("__name__", "__qualname__", "__doc__"):
                try:
                    setattr(replacement, attribute, getattr(original, attribute))
                except (AttributeError, TypeError):
                    pass
            return {"ok": self._encode(replacement)}
        if op == "isinstance":
            value, cls = self._decode(request["value"]), self.objects[request["cls"]]
            return {"ok": self._encode(bool(isinstance(value, cls)))}
        target = self.objects[request["h"]]
        if op == "getattr":
            return {"ok": self._encode(getattr(target, request["name"]))}
        if op == "setattr":
            setattr(target, request["name"], self._decode(request["value"]))
            return {"ok": ["n"]}
        if op == "getitem":
            return {"ok": self._encode(target[self._decode(request["key"])])}
        if op == "setitem":
            target[self._decode(request["key"])] = self._decode(request["value"])
            return {"ok": ["n"]}
        if op == "call":
            args = [self._decode(arg) for arg in request.get("args", [])]
            kwargs = {str(key): self._decode(value) for key, value in request.get("kwargs", {}).items()}
            return {"ok": self._encode(target(*args, **kwargs))}
        raise ValueError(f"permintaan tidak dikenal: {op!r}")

    def _exception(self, error):
        """Describe an exception as data: its class, message, plain args and plain attributes."""
        described = _exception_class(type(error))
        key = self.keys.get(id(type(error)))
        if key is None:
            self._handle(type(error))
            key = self.keys.get(id(type(error)))
        described["class_key"] = key
        attributes = {}
        for name, value in list(getattr(error, "__dict__", {}).items())[:50]:
            try:
                attributes[str(name)] = self.codec.encode(value, _refuse)
            except BaseException:  # noqa: BLE001 - only plain attributes travel with an exception
                continue
        described["attributes"] = attributes
        try:
            described["message"] = str(error)[:2000]
        except BaseException:  # noqa: BLE001 - a broken __str__ is the trainee's
            described["message"] = ""
        try:
            described["args"] = self.codec.encode(tuple(error.args), _refuse)
        except BaseException:  # noqa: BLE001
            described["args"] = None
        return described


def _refusal(name, message):
    """An answer saying the value could not be sent (as an exception the test sees)."""
    return json.dumps({"raise": {"module": "builtins", "name": name, "mro": [], "message": message,
                                 "args": None}, "out": ""})


def _refuse(value):
    """Exception arguments must be plain data."""
    raise TypeError("bukan data biasa")


def _type_name(cls) -> str:
    """Return a class's qualified name as text (never raising)."""
    try:
        return str(cls.__qualname__)[:200]
    except BaseException:  # noqa: BLE001
        return "objek"


def _exception_class(cls) -> dict:
    """Describe an exception class: module, name and its ancestors (nearest first), as data."""
    mro = []
    for base in cls.__mro__[1:]:
        if base is object:
            break
        mro.append({"module": str(getattr(base, "__module__", "") or "")[:200], "name": _type_name(base)})
    return {"module": str(getattr(cls, "__module__", "") or "")[:200], "name": _type_name(cls), "mro": mro[:20]}


def install(shell, codec, max_answer) -> None:
    """Put the agent in the kernel's namespace as `_tic_agent` (hidden from %who)."""
    agent = Agent(shell.user_ns, codec, max_answer)
    shell.user_ns["_tic_agent"] = agent
    shell.user_ns_hidden["_tic_agent"] = agent
