"""Collecting a cell's outputs under a size cap, with a visible marker where they were cut."""

from __future__ import annotations

import json

import nbformat

CUT_MARKER = "\n[keluaran dipotong]\n"


class OutputBudget:
    """Bytes of output left for the whole run."""

    def __init__(self, total_bytes: int):
        self.left = total_bytes


class CellOutputs:
    """Turns IOPub messages into notebook outputs until the cell's or the run's cap is reached."""

    def __init__(self, cell_bytes: int, budget: OutputBudget):
        self.outputs: list = []
        self.left = cell_bytes
        self.budget = budget
        self.cut = False

    def add(self, msg: dict) -> None:
        """Add one IOPub output message (stream, display, result or error)."""
        msg_type = msg["header"]["msg_type"]
        if msg_type == "clear_output":
            self.outputs = [out for out in self.outputs if out.get("output_type") == "error"]
            return
        if msg_type not in ("stream", "display_data", "execute_result", "error") or self.cut:
            return
        size = len(json.dumps(msg["content"]))
        room = min(self.left, self.budget.left)
        if size > room:
            if msg_type == "stream":
                self._append_stream(msg["content"]["name"], msg["content"]["text"][: max(room - 100, 0)])
            self._cut()
            return
        self.left -= size
        self.budget.left -= size
        if msg_type == "stream":
            self._append_stream(msg["content"]["name"], msg["content"]["text"])
            return
        try:
            self.outputs.append(nbformat.v4.output_from_msg(msg))
        except (ValueError, KeyError, nbformat.ValidationError):
            pass  # Malformed display data from trainee code is dropped.

    def _append_stream(self, name: str, text: str) -> None:
        """Append stream text, merging with the previous output of the same stream."""
        last = self.outputs[-1] if self.outputs else None
        if last and last.get("output_type") == "stream" and last.get("name") == name:
            last.text += text
        elif text:
            self.outputs.append(nbformat.v4.new_output("stream", name=name, text=text))

    def too_large(self, message: str) -> None:
        """Mark that a message was refused for its size (it never reached this process)."""
        if not self.cut:
            self._cut()
        self._append_stream("stderr", f"[{message}]\n")

    def _cut(self) -> None:
        """Stop collecting and leave the visible marker."""
        self.cut = True
        self._append_stream("stderr", CUT_MARKER)
