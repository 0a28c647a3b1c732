// The project editor: a file tree and CodeMirror over the trainee's repository, web commits,
// the commit log with diffs, and "Jalankan uji". Loaded only by templates/trainee/project.html.
// Mentor line comments (JSON from the comments route, their "html" sanitised by the server) are shown
// beside their lines in the editor and in commit diffs. Edits live in the browser (localStorage) until they are saved as a commit, so a reload or a
// refused commit (someone pushed meanwhile) never loses them. Text from the server is always set
// with textContent.
import { basicSetup } from "codemirror";
import { EditorView, keymap, gutter, GutterMarker, Decoration, WidgetType } from "@codemirror/view";
import { EditorState, Prec, RangeSet, StateField, StateEffect } from "@codemirror/state";
import { indentWithTab } from "@codemirror/commands";
import { indentUnit } from "@codemirror/language";
import { python } from "@codemirror/lang-python";
import { html } from "@codemirror/lang-html";
import { css } from "@codemirror/lang-css";
import { markdown } from "@codemirror/lang-markdown";
import { yaml } from "@codemirror/lang-yaml";
import "./project-editor.css";
import { alertArea, element, format, points } from "../lib/dom.js";

const data = JSON.parse(document.getElementById("project-editor-data").textContent);
const msg = data.messages;
const csrfToken = document.querySelector('meta[name="csrf-token"]').content;
const styleNonce = document.querySelector('meta[name="csp-style-nonce"]')?.content || "";
const root = document.getElementById("project-editor");
const treeEl = document.getElementById("file-tree");
const codeEl = document.getElementById("project-code");
const openPathEl = document.getElementById("open-path");
const statusEl = document.getElementById("editor-status");
const alerts = alertArea(document.getElementById("editor-alert"), msg.close);
const resultsEl = document.getElementById("editor-results");
const messageEl = document.getElementById("commit-message");
const draftPrefix = `tic-project-draft:${data.user_id}:${data.exercise_id}:`;
// A valid path part, the same rule as the server's (services/project_editor.py).
const PART = /^[A-Za-z0-9_.\- ]+$/;

let base = null; // the commit the editor shows (main's head when loaded)
let server = new Map(); // path -> text (null: binary) at base
let files = new Map(); // path -> text (null: binary) of the working copy
let folders = new Set(); // folders created here that hold no file yet
let openPath = null;
let view = null;
const states = new Map(); // path -> EditorState, so each file keeps its own undo history
let busy = false;
let draftTimer = null;
const commentCache = new Map(); // "path@sha" -> Promise of the comments JSON (or null)

/**
 * Hook for line comments on diffs (mentor review): functions called as fn(sha, container) after a
 * commit's diff is shown. Each diff line is a <div class="diff-line"> with data-path, data-old-line
 * and data-new-line, so a decorator can put a comment beside it.
 */
window.ticProjectDiffDecorators = window.ticProjectDiffDecorators || [];

// --- small helpers -----------------------------------------------------------

async function send(url, body) {
  const options = { headers: { Accept: "application/json" }, credentials: "same-origin" };
  if (body !== undefined) {
    options.method = "POST";
    options.headers["Content-Type"] = "application/json";
    options.headers["X-CSRFToken"] = csrfToken;
    options.body = JSON.stringify(body);
  }
  const response = await fetch(url, options);
  return { response, body: await response.json().catch(() => ({})) };
}

function showAlert(kind, text, actions = []) {
  alerts.show(kind, text, actions.map(([label, onClick, action]) => ({ label, onClick, action })));
}

function cleanPath(text) {
  const path = (text || "").trim().replace(/^\/+|\/+$/g, "");
  const parts = path.split("/");
  if (!path || parts.some((part) => part === "." || part === ".." || part.toLowerCase() === ".git" || !PART.test(part)
      || part !== part.trim())) {
    return null;
  }
  return parts.join("/");
}

function under(path, folder) {
  return path === folder || path.startsWith(`${folder}/`);
}

// --- mentor line comments ------------------------------------------------------------

/** The comments on ``path`` placed on its text at ``sha`` (null: the head), fetched once per load. */
function fetchComments(path, sha) {
  const key = `${path}@${sha || ""}`;
  if (!commentCache.has(key)) {
    const query = new URLSearchParams({ path });
    if (sha) query.set("sha", sha);
    commentCache.set(key, send(`${data.urls.comments}?${query}`)
      .then(({ response, body }) => (response.ok ? body : null))
      .catch(() => null));
  }
  return commentCache.get(key);
}

/** One comment: its author and line as text, its body from the server's sanitised HTML. */
function commentItem(comment, label) {
  const item = element("div", "line-comment");
  item.dataset.lineComment = String(comment.id);
  item.append(element("div", "small text-muted", label));
  const body = element("div", "line-comment-body");
  body.innerHTML = comment.html; // sanitised by the server (render_markdown)
  item.append(body);
  return item;
}

function commentBox(comments, line) {
  const box = element("div", "line-comments");
  box.setAttribute("role", "note");
  box.setAttribute("aria-label", format(msg.comments_on_line, { count: comments.length, line }));
  for (const comment of comments) box.append(commentItem(comment, format(msg.comment_by, { author: comment.author, line })));
  return box;
}

class CommentMarker extends GutterMarker {
  constructor(count) {
    super();
    this.count = count;
  }

  eq(other) {
    return other.count === this.count;
  }

  toDOM() {
    const mark = element("span", "cm-comment-marker", "\u25CF");
    mark.title = format(msg.comments_on_line, { count: this.count, line: "" }).trim();
    return mark;
  }
}

class CommentWidget extends WidgetType {
  constructor(entry) {
    super();
    this.entry = entry;
  }

  eq(other) {
    return other.entry.comments === this.entry.comments;
  }

  toDOM(editorView) {
    const line = editorView.state.doc.lineAt(this.entry.pos).number;
    return commentBox(this.entry.comments, line);
  }

  ignoreEvent() {
    return true;
  }
}

const setComments = StateEffect.define(); // [{line, comments}] placed on the file's text
const toggleComment = StateEffect.define(); // the index of an entry to open or close

/** The comments of the open file: entries {pos, comments, open} that follow their line as the text is edited. */
const commentField = StateField.define({
  create: () => ({ entries: [], decorations: Decoration.none }),
  update(value, tr) {
    let entries = value.entries;
    if (tr.docChanged) entries = entries.map((entry) => ({ ...entry, pos: tr.changes.mapPos(entry.pos) }));
    for (const effect of tr.effects) {
      if (effect.is(setComments)) {
        entries = effect.value.filter(({ line }) => line <= tr.state.doc.lines)
          .map(({ line, comments }) => ({ pos: tr.state.doc.line(line).from, comments, open: false }));
      }
      if (effect.is(toggleComment)) {
        entries = entries.map((entry, index) => (index === effect.value ? { ...entry, open: !entry.open } : entry));
      }
    }
    if (entries === value.entries) return value;
    const ranges = [];
    for (const entry of entries) {
      const line = tr.state.doc.lineAt(entry.pos);
      ranges.push(Decoration.line({ class: "cm-commented-line" }).range(line.from));
      if (entry.open) ranges.push(Decoration.widget({ widget: new CommentWidget(entry), block: true, side: 1 }).range(line.to));
    }
    return { entries, decorations: Decoration.set(ranges, true) };
  },
  provide: (field) => EditorView.decorations.from(field, (value) => value.decorations),
});

function entryIndexAt(state, pos) {
  const line = state.doc.lineAt(pos).number;
  return state.field(commentField).entries.findIndex((entry) => state.doc.lineAt(entry.pos).number === line);
}

const commentGutter = gutter({
  class: "cm-comment-gutter",
  markers: (editorView) => {
    const { entries } = editorView.state.field(commentField);
    const ranges = entries.map((entry) => new CommentMarker(entry.comments.length)
      .range(editorView.state.doc.lineAt(entry.pos).from));
    return RangeSet.of(ranges, true);
  },
  domEventHandlers: {
    mousedown(editorView, line) {
      const index = entryIndexAt(editorView.state, line.from);
      if (index < 0) return false;
      toggleCommentAt(index);
      return true;
    },
  },
});

/** Open or close the comments of an entry beside its line, and keep the list's button in step. */
function toggleCommentAt(index) {
  if (!view) return;
  const entry = view.state.field(commentField).entries[index];
  if (!entry) return;
  view.dispatch({ effects: [toggleComment.of(index), EditorView.scrollIntoView(entry.pos, { y: "center" })] });
  const button = document.querySelector(`#editor-comments [data-comment-index="${index}"]`);
  button?.setAttribute("aria-expanded", String(!entry.open));
}

/** The list under the editor: a button per commented line (opens the comment beside it), then older ones. */
function renderCommentList(path, placed) {
  const list = document.getElementById("editor-comments");
  if (!list) return;
  list.replaceChildren();
  const lines = Object.entries(placed?.lines || {});
  const earlier = placed?.earlier || [];
  if (!lines.length && !earlier.length) return;
  list.append(element("h3", "h6", format(msg.comments_title, { path })));
  const items = element("ul", "list-unstyled mb-2");
  lines.forEach(([line, comments], index) => {
    const item = element("li", "mb-2");
    item.dataset.commentLine = line;
    const button = element("button", "btn btn-outline-secondary btn-sm mb-1", format(msg.comment_on_line, { line }));
    button.type = "button";
    button.dataset.commentIndex = String(index);
    button.setAttribute("aria-label", format(msg.comments_on_line, { count: comments.length, line }));
    button.setAttribute("aria-expanded", "false");
    button.addEventListener("click", () => toggleCommentAt(index));
    item.append(button);
    for (const comment of comments) item.append(commentItem(comment, comment.author));
    items.append(item);
  });
  list.append(items);
  if (earlier.length) {
    list.append(element("h4", "h6 small", msg.earlier_title));
    const old = element("ul", "list-unstyled mb-0");
    for (const comment of earlier) {
      const item = element("li", "mb-2");
      item.dataset.earlier = "1";
      item.append(element("span", "badge text-bg-secondary me-1", msg.earlier_version));
      if (comment.line_text) item.append(element("code", "small", comment.line_text));
      item.append(commentItem(comment, format(msg.comment_by, { author: comment.author, line: comment.line })));
      old.append(item);
    }
    list.append(old);
  }
}

/** Fetch the open file's comments (placed on the head's text) and show them beside its lines. */
async function showComments(path) {
  renderCommentList(path, null);
  if (!server.has(path) || server.get(path) === null) return;
  const placed = await fetchComments(path, null);
  if (openPath !== path || !view || !placed) return;
  const entries = Object.entries(placed.lines).map(([line, comments]) => ({ line: Number(line), comments }));
  view.dispatch({ effects: setComments.of(entries) });
  renderCommentList(path, placed);
}

/** Diff decorator: the comments placed on each file's text at the commit, beside the matching new lines. */
async function decorateDiff(sha, box) {
  const paths = new Set([...box.querySelectorAll(".diff-line[data-new-line]")].map((line) => line.dataset.path));
  for (const path of paths) {
    const placed = await fetchComments(path, sha);
    for (const [line, comments] of Object.entries(placed?.lines || {})) {
      const target = box.querySelector(`.diff-line[data-path="${CSS.escape(path)}"][data-new-line="${line}"]`);
      if (target) target.after(commentBox(comments, line));
    }
  }
}

window.ticProjectDiffDecorators.push(decorateDiff);

// --- the working copy and its changes -------------------------------------------

/** The changes from base to the working copy, as the commit route takes them. */
function changes() {
  const list = [];
  for (const path of server.keys()) {
    if (!files.has(path)) list.push({ op: "delete", path });
  }
  for (const [path, text] of files) {
    if (text === null) continue; // binary files are kept as they are
    if (!server.has(path) || server.get(path) !== text) list.push({ op: "write", path, content: text });
  }
  return list;
}

function fileState(path) {
  if (!files.has(path)) return server.has(path) ? "deleted" : null;
  if (!server.has(path)) return "new";
  return server.get(path) === files.get(path) ? null : "changed";
}

function updateStatus() {
  const count = changes().length;
  statusEl.textContent = count ? format(msg.status_dirty, { count }) : msg.status_clean;
  statusEl.dataset.state = count ? "unsaved" : "saved";
  const submit = document.querySelector("#submit-commit");
  if (submit) {
    if (count) submit.dataset.confirm = msg.submit_dirty;
    else delete submit.dataset.confirm;
  }
}

// --- local draft -------------------------------------------------------------------

function draftKey(sha) {
  return draftPrefix + sha;
}

function saveDraft() {
  clearTimeout(draftTimer);
  draftTimer = null;
  const list = changes();
  try {
    if (list.length || folders.size) {
      localStorage.setItem(draftKey(base), JSON.stringify({ changes: list, folders: [...folders], message: messageEl.value }));
    } else {
      localStorage.removeItem(draftKey(base));
    }
  } catch {
    // Storage full or blocked: the edits stay in this page only.
  }
}

function scheduleDraft() {
  updateStatus();
  clearTimeout(draftTimer);
  draftTimer = setTimeout(saveDraft, 300);
}

function readDraft(sha) {
  try {
    return JSON.parse(localStorage.getItem(draftKey(sha)) || "null");
  } catch {
    return null;
  }
}

/** Drafts of this exercise kept for other (older) commits: [[sha, draft], ...]. */
function olderDrafts() {
  const found = [];
  for (let i = 0; i < localStorage.length; i += 1) {
    const key = localStorage.key(i);
    if (key && key.startsWith(draftPrefix) && !key.endsWith(`:${base}`) && !key.includes(":copy:")) {
      try {
        found.push([key.slice(draftPrefix.length), JSON.parse(localStorage.getItem(key))]);
      } catch {
        // an unreadable draft is skipped
      }
    }
  }
  return found;
}

/** Put a draft's changes over the working copy (the draft's version of each file wins). */
function applyDraft(draft) {
  for (const change of draft.changes || []) {
    if (change.op === "delete") files.delete(change.path);
    if (change.op === "write") files.set(change.path, change.content);
  }
  for (const folder of draft.folders || []) folders.add(folder);
  if (draft.message && !messageEl.value) messageEl.value = draft.message;
  states.clear();
}

function keepCopy(sha, draft) {
  try {
    localStorage.setItem(`${draftPrefix}copy:${sha}:${Date.now()}`, JSON.stringify(draft));
  } catch {
    // no room for a copy; the edits are still in the page
  }
}

// --- the file tree -------------------------------------------------------------------

function allFolders() {
  const set = new Set(folders);
  for (const path of files.keys()) {
    const parts = path.split("/");
    for (let i = 1; i < parts.length; i += 1) set.add(parts.slice(0, i).join("/"));
  }
  return set;
}

function renderTree() {
  treeEl.replaceChildren();
  const entries = [...[...allFolders()].map((path) => [path, true]), ...[...files.keys()].map((path) => [path, false])];
  for (const path of server.keys()) if (!files.has(path)) entries.push([path, false]);
  entries.sort(([a], [b]) => a.localeCompare(b));
  for (const [path, isFolder] of entries) {
    const depth = path.split("/").length - 1;
    const name = path.split("/").pop();
    const item = element("li", `tree-item depth-${Math.min(depth, 6)}`);
    const button = element("button", "btn btn-link btn-sm tree-button text-start");
    button.type = "button";
    button.dataset.path = path;
    if (isFolder) {
      button.dataset.folder = "1";
      button.append(element("span", "fw-semibold", `${name}/`));
      button.setAttribute("aria-label", format(msg.folder, { path }));
      button.addEventListener("click", () => selectFolder(path));
    } else {
      const state = fileState(path);
      button.append(element("span", "", name));
      if (state) button.append(element("span", `badge ms-1 tree-${state}`, msg[`${state}_mark`]));
      if (state === "deleted") button.disabled = true;
      button.addEventListener("click", () => openFile(path));
      if (path === openPath) button.setAttribute("aria-current", "true");
    }
    item.append(button);
    treeEl.append(item);
  }
}

let selectedFolder = null;

function selectFolder(path) {
  closeView();
  selectedFolder = path;
  openPath = null;
  openPathEl.textContent = `${path}/`;
  showEditor(null);
  setButtons();
}

// --- the editor ------------------------------------------------------------------------

function language(path) {
  const name = path.toLowerCase();
  if (name.endsWith(".py")) return [python()];
  if (/\.(html|htm|jinja|jinja2|j2)$/.test(name)) return [html()];
  if (name.endsWith(".css")) return [css()];
  if (/\.(md|markdown)$/.test(name)) return [markdown()];
  if (/\.(ya?ml)$/.test(name)) return [yaml()];
  return [];
}

function newState(path) {
  return EditorState.create({
    doc: files.get(path) ?? "",
    extensions: [
      basicSetup,
      EditorView.cspNonce.of(styleNonce),
      indentUnit.of("    "),
      keymap.of([indentWithTab]),
      Prec.highest(keymap.of([{ key: "Mod-s", run: () => { messageEl.focus(); return true; } }])),
      EditorView.contentAttributes.of({ "aria-label": format(msg.editor_label, { path }) }),
      EditorView.updateListener.of((update) => {
        if (!update.docChanged || openPath !== path) return;
        files.set(path, update.state.doc.toString());
        scheduleDraft();
        renderTree();
      }),
      commentField,
      commentGutter,
      ...language(path),
    ],
  });
}

/** Keep the open file's editor state (its undo history) and take the editor down. */
function closeView() {
  if (view && openPath && files.get(openPath) !== null && files.has(openPath)) states.set(openPath, view.state);
  if (view) view.destroy();
  view = null;
}

function showEditor(path) {
  codeEl.replaceChildren();
  renderCommentList(path, null);
  if (path === null) {
    codeEl.append(element("p", "text-muted small p-3 mb-0", msg.no_file));
    return;
  }
  if (files.get(path) === null) {
    codeEl.append(element("p", "text-muted small p-3 mb-0", msg.binary));
    return;
  }
  if (!states.has(path)) states.set(path, newState(path));
  view = new EditorView({ state: states.get(path), parent: codeEl });
}

function openFile(path) {
  closeView();
  openPath = path;
  selectedFolder = null;
  openPathEl.textContent = path;
  showEditor(path);
  renderTree();
  setButtons();
  view?.focus();
  showComments(path);
}

function setButtons() {
  const loaded = base !== null && !busy;
  for (const action of ["commit", "test", "new-file", "new-folder"]) {
    root.querySelector(`[data-action="${action}"]`).disabled = !loaded;
  }
  messageEl.disabled = !loaded;
  const target = openPath || selectedFolder;
  root.querySelector('[data-action="rename"]').disabled = !loaded || !target || (openPath && files.get(openPath) === null);
  root.querySelector('[data-action="delete"]').disabled = !loaded || !target;
}

// --- create, rename, delete -------------------------------------------------------------

function taken(path) {
  return files.has(path) || allFolders().has(path);
}

function askPath(question, initial) {
  const answer = window.prompt(question, initial || "");
  if (answer === null) return null;
  const path = cleanPath(answer);
  if (!path) {
    showAlert("warning", msg.bad_name);
    return null;
  }
  if (taken(path)) {
    showAlert("warning", format(msg.exists, { path }));
    return null;
  }
  return path;
}

function newFile() {
  const path = askPath(msg.new_file_prompt, selectedFolder ? `${selectedFolder}/` : "");
  if (!path) return;
  files.set(path, "");
  scheduleDraft();
  openFile(path);
}

function newFolder() {
  const path = askPath(msg.new_folder_prompt, selectedFolder ? `${selectedFolder}/` : "");
  if (!path) return;
  folders.add(path);
  scheduleDraft();
  renderTree();
  selectFolder(path);
}

function renameTarget() {
  const from = openPath || selectedFolder;
  if (!from) return;
  const to = askPath(format(msg.rename_prompt, { path: from }), from);
  if (!to) return;
  closeView();
  for (const path of [...files.keys()]) {
    if (under(path, from)) {
      files.set(to + path.slice(from.length), files.get(path));
      files.delete(path);
    }
  }
  for (const folder of [...folders]) {
    if (under(folder, from)) {
      folders.delete(folder);
      folders.add(to + folder.slice(from.length));
    }
  }
  states.clear();
  scheduleDraft();
  if (openPath) openFile(to);
  else {
    renderTree();
    selectFolder(to);
  }
}

function deleteTarget() {
  const target = openPath || selectedFolder;
  if (!target || !window.confirm(format(msg.delete_confirm, { path: target }))) return;
  for (const path of [...files.keys()]) if (under(path, target)) files.delete(path);
  for (const folder of [...folders]) if (under(folder, target)) folders.delete(folder);
  closeView();
  openPath = null;
  selectedFolder = null;
  openPathEl.textContent = "";
  states.clear();
  scheduleDraft();
  renderTree();
  showEditor(null);
  setButtons();
}

// --- loading --------------------------------------------------------------------------------

async function load() {
  statusEl.textContent = msg.loading;
  let result;
  try {
    result = await send(data.urls.files);
  } catch {
    showAlert("danger", msg.load_failed);
    return false;
  }
  if (!result.response.ok) {
    showAlert("danger", result.body.error || msg.load_failed);
    return false;
  }
  base = result.body.head;
  server = new Map(result.body.files.map((file) => [file.path, file.text]));
  files = new Map(server);
  folders = new Set();
  closeView();
  states.clear();
  commentCache.clear();
  renderCommits(result.body.commits, null);
  return true;
}

async function start() {
  if (!(await load())) return;
  const draft = readDraft(base);
  if (draft) {
    applyDraft(draft);
    showAlert("info", msg.restored);
  } else {
    const [older] = olderDrafts();
    if (older) offerOlderDraft(...older);
  }
  finishLoad();
}

function finishLoad() {
  renderTree();
  const first = openPath && files.has(openPath) ? openPath : [...files.keys()].find((path) => path.toLowerCase() === "readme.md");
  if (first) openFile(first);
  else showEditor(null);
  updateStatus();
  setButtons();
}

function offerOlderDraft(sha, draft) {
  showAlert("warning", format(msg.older_draft, { sha: sha.slice(0, 8) }), [
    [msg.older_draft_apply, () => {
      keepCopy(sha, draft);
      localStorage.removeItem(draftKey(sha));
      applyDraft(draft);
      saveDraft();
      alerts.clear();
      finishLoad();
    }, "apply-older"],
    [msg.older_draft_discard, () => {
      keepCopy(sha, draft);
      localStorage.removeItem(draftKey(sha));
      alerts.clear();
    }, "discard-older"],
  ]);
}

/** After a refused commit: load the new head and put the edits back on top of it, keeping a copy. */
async function reloadFromServer() {
  saveDraft();
  const oldBase = base;
  const draft = readDraft(oldBase) || { changes: changes(), folders: [...folders], message: messageEl.value };
  const path = openPath;
  if (!(await load())) return;
  keepCopy(oldBase, draft);
  localStorage.removeItem(draftKey(oldBase));
  applyDraft(draft);
  saveDraft();
  openPath = path;
  finishLoad();
  showAlert("info", format(msg.reloaded, { sha: base.slice(0, 8) }));
}

// --- commit, test ------------------------------------------------------------------------------

async function commit() {
  const list = changes();
  if (!messageEl.value.trim()) {
    showAlert("warning", msg.need_message);
    messageEl.focus();
    return;
  }
  if (!list.length) {
    showAlert("info", msg.nothing_to_commit);
    return;
  }
  saveDraft();
  busy = true;
  setButtons();
  statusEl.textContent = msg.committing;
  try {
    const { response, body } = await send(data.urls.commit, { base, changes: list, message: messageEl.value });
    if (response.status === 409) {
      showAlert("warning", body.error, [
        [msg.stale_reload, reloadFromServer, "reload"],
        [msg.stale_changes, () => showNewCommits(), "see-changes"],
      ]);
    } else if (!response.ok) {
      showAlert("danger", body.error || msg.server_error);
    } else {
      localStorage.removeItem(draftKey(base));
      messageEl.value = "";
      const path = openPath;
      await load();
      openPath = path;
      finishLoad();
      showAlert("success", body.message || format(msg.committed, { sha: body.sha.slice(0, 8) }));
      updateSubmitButton(body.sha);
    }
  } catch {
    showAlert("danger", msg.network_error);
  } finally {
    busy = false;
    setButtons();
    updateStatus();
  }
}

/** The Kumpulkan button names the latest commit; keep it in step after a web commit. */
function updateSubmitButton(sha) {
  const button = document.querySelector("#submit-commit button");
  if (!button) return;
  button.disabled = false;
  const label = button.textContent.replace(/\s*\([0-9a-f]{8}\)\s*$/, "").trim();
  button.textContent = `${label} (${sha.slice(0, 8)})`;
}

function testStatusBadge(status) {
  return element("span", `badge test-${status}`, msg[`test_${status}`] || status);
}

function testList(tests) {
  const list = element("ul", "list-group test-results");
  for (const test of tests) {
    const item = element("li", `list-group-item d-flex flex-wrap gap-2 align-items-start test-row test-row-${test.status}`);
    item.dataset.gradeId = test.grade_id;
    const name = element("span", "fw-semibold test-title", test.title || test.grade_id);
    name.title = test.grade_id;
    item.append(testStatusBadge(test.status), name);
    item.append(element("span", "ms-auto text-nowrap", format(msg.points_of, { points: points(test.points), max: points(test.max_points) })));
    if (test.message) item.append(element("div", "w-100 small test-message", test.message));
    list.append(item);
  }
  return list;
}

async function runTests() {
  saveDraft();
  busy = true;
  setButtons();
  resultsEl.replaceChildren(element("p", "text-muted small", msg.testing));
  try {
    const { response, body } = await send(data.urls.test, { base, changes: changes() });
    if (!response.ok) {
      resultsEl.replaceChildren(element("div", `alert alert-${response.status === 429 ? "warning" : "danger"} mb-0`, body.error || msg.server_error));
      return;
    }
    const parts = [element("h3", "h6", msg.test_title),
      element("p", "mb-2 fw-semibold", `${msg.score}: ${format(msg.points_of, { points: points(body.score), max: points(body.max_score) })}`)];
    for (const note of body.notes || []) parts.push(element("div", "alert alert-info small", note));
    if (body.error) parts.push(element("div", "alert alert-danger small", body.error));
    parts.push(testList(body.tests || []), element("p", "small text-muted mt-2 mb-0", msg.test_hint));
    resultsEl.replaceChildren(...parts);
  } catch {
    resultsEl.replaceChildren(element("div", "alert alert-danger mb-0", msg.network_error));
  } finally {
    busy = false;
    setButtons();
  }
}

// --- the commit log and diffs --------------------------------------------------------------------

function commitTable() {
  return document.querySelector("#commit-log tbody");
}

/** Rebuild the commit log from the server's list; commits newer than ``since`` are marked. */
function renderCommits(commits, since) {
  const body = commitTable();
  if (!body) return;
  body.replaceChildren();
  let newer = since !== null;
  for (const commit of commits) {
    if (commit.sha === since) newer = false;
    const row = element("tr");
    row.dataset.sha = commit.sha;
    const sha = element("td");
    sha.append(element("code", "", commit.sha.slice(0, 8)));
    if (newer) sha.append(element("span", "badge text-bg-warning ms-1", msg.new_since));
    const time = element("td", "", commit.time_text);  // "29 Des 2026 14:05", WIB, from the server
    row.append(sha, element("td", "", commit.subject), element("td", "", commit.author), time, element("td"));
    body.append(row);
  }
  addDiffButtons();
}

function addDiffButtons() {
  for (const row of document.querySelectorAll("#commit-log tbody tr[data-sha]")) {
    const cell = row.lastElementChild;
    if (!cell || cell.querySelector("button")) continue;
    const button = element("button", "btn btn-link btn-sm p-0", msg.show_diff);
    button.type = "button";
    button.setAttribute("aria-expanded", "false");
    button.addEventListener("click", () => toggleDiff(row, button));
    cell.append(button);
  }
}

async function toggleDiff(row, button) {
  const next = row.nextElementSibling;
  if (next?.classList.contains("diff-row")) {
    next.remove();
    button.textContent = msg.show_diff;
    button.setAttribute("aria-expanded", "false");
    return;
  }
  const sha = row.dataset.sha;
  const { response, body } = await send(data.urls.diff.replace(data.sha_placeholder, sha));
  const holder = element("tr", "diff-row");
  const cell = element("td");
  cell.colSpan = row.children.length;
  holder.append(cell);
  row.after(holder);
  button.textContent = msg.hide_diff;
  button.setAttribute("aria-expanded", "true");
  if (!response.ok) {
    cell.append(element("div", "alert alert-danger small mb-0", body.error || msg.server_error));
    return;
  }
  cell.append(renderDiff(sha, body.diff, body.cut));
}

/** A unified diff as lines that carry their file and line numbers (see ticProjectDiffDecorators). */
function renderDiff(sha, text, cut) {
  const box = element("div", "project-diff");
  box.setAttribute("role", "region");
  box.setAttribute("aria-label", format(msg.diff_of, { sha: sha.slice(0, 8) }));
  let path = "";
  let oldLine = 0;
  let newLine = 0;
  for (const line of text.split("\n")) {
    let kind = "meta";
    const hunk = /^@@ -(\d+)(?:,\d+)? \+(\d+)(?:,\d+)? @@/.exec(line);
    if (line.startsWith("diff --git ")) {
      path = line.replace(/^diff --git a\/.* b\//, "");
      kind = "file";
    } else if (hunk) {
      oldLine = Number(hunk[1]);
      newLine = Number(hunk[2]);
      kind = "hunk";
    } else if (line.startsWith("+") && !line.startsWith("+++")) {
      kind = "add";
    } else if (line.startsWith("-") && !line.startsWith("---")) {
      kind = "del";
    } else if (line.startsWith(" ")) {
      kind = "context";
    }
    const div = element("div", `diff-line diff-${kind}`, line);
    div.dataset.path = path;
    if (kind === "add" || kind === "context") div.dataset.newLine = String(newLine);
    if (kind === "del" || kind === "context") div.dataset.oldLine = String(oldLine);
    if (kind === "add") newLine += 1;
    if (kind === "del") oldLine += 1;
    if (kind === "context") {
      oldLine += 1;
      newLine += 1;
    }
    box.append(div);
  }
  if (cut) box.append(element("p", "small text-muted mb-0", msg.diff_cut));
  for (const decorate of window.ticProjectDiffDecorators) decorate(sha, box);
  return box;
}

/** "See the changes": the log with the commits made since the editor's base, the newest one opened. */
async function showNewCommits() {
  const { response, body } = await send(data.urls.log);
  if (!response.ok) return;
  renderCommits(body.commits, base);
  const newest = document.querySelector("#commit-log tbody tr[data-sha]");
  if (newest && newest.dataset.sha !== base) newest.querySelector("button")?.click();
  document.getElementById("commits-title")?.scrollIntoView({ behavior: "smooth" });
}

// --- wiring --------------------------------------------------------------------------------------

root.querySelector('[data-action="commit"]').addEventListener("click", commit);
root.querySelector('[data-action="test"]').addEventListener("click", runTests);
root.querySelector('[data-action="new-file"]').addEventListener("click", newFile);
root.querySelector('[data-action="new-folder"]').addEventListener("click", newFolder);
root.querySelector('[data-action="rename"]').addEventListener("click", renameTarget);
root.querySelector('[data-action="delete"]').addEventListener("click", deleteTarget);
messageEl.addEventListener("input", scheduleDraft);
messageEl.addEventListener("keydown", (event) => {
  if (event.key === "Enter") {
    event.preventDefault();
    commit();
  }
});
window.addEventListener("beforeunload", saveDraft);
addDiffButtons();
start();
