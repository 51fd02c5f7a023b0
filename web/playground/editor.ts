/**
 * The code editor: CodeMirror 6 with Python highlighting, one editor state
 * per file (so each file keeps its own undo history and cursor), colours
 * taken from the page's CSS variables so light and dark themes follow the page.
 */
import { defaultKeymap, history, historyKeymap, indentWithTab } from "@codemirror/commands";
import { python } from "@codemirror/lang-python";
import { bracketMatching, HighlightStyle, indentOnInput, indentUnit, syntaxHighlighting } from "@codemirror/language";
import { EditorState, type Extension } from "@codemirror/state";
import {
  drawSelection,
  EditorView,
  highlightActiveLine,
  highlightActiveLineGutter,
  keymap,
  lineNumbers,
} from "@codemirror/view";
import { tags } from "@lezer/highlight";

const highlightStyle = HighlightStyle.define([
  { tag: [tags.keyword, tags.controlKeyword, tags.definitionKeyword, tags.moduleKeyword, tags.operatorKeyword], color: "var(--syntax-keyword)" },
  { tag: [tags.string, tags.special(tags.string)], color: "var(--syntax-string)" },
  { tag: [tags.number, tags.bool, tags.null], color: "var(--syntax-number)" },
  { tag: [tags.comment, tags.lineComment], color: "var(--syntax-comment)", fontStyle: "italic" },
  { tag: [tags.function(tags.definition(tags.variableName)), tags.definition(tags.className)], color: "var(--syntax-definition)" },
  { tag: [tags.meta, tags.annotation], color: "var(--syntax-meta)" },
  { tag: tags.self, color: "var(--syntax-keyword)" },
]);

const editorTheme = EditorView.theme({
  "&": { height: "100%", color: "var(--fg)", backgroundColor: "var(--editor-bg)" },
  ".cm-content": { caretColor: "var(--fg)", fontFamily: "var(--mono)" },
  ".cm-cursor, .cm-dropCursor": { borderLeftColor: "var(--fg)" },
  ".cm-gutters": { backgroundColor: "var(--editor-gutter)", color: "var(--muted)", border: "none" },
  ".cm-activeLine": { backgroundColor: "var(--editor-active-line)" },
  ".cm-activeLineGutter": { backgroundColor: "var(--editor-active-line)" },
  "&.cm-focused .cm-selectionBackground, .cm-selectionBackground, ::selection": { backgroundColor: "var(--editor-selection) !important" },
  ".cm-matchingBracket": { outline: "1px solid var(--muted)" },
  ".cm-scroller": { fontFamily: "var(--mono)", lineHeight: "1.5" },
});

/** The editor of the open file. */
export class CodeEditor {
  readonly view: EditorView;
  private states = new Map<string, EditorState>();
  private currentPath = "";
  private readonly extensions: Extension[];

  /**
   * @param parent where the editor goes
   * @param onChange called with the open file's path and text after each edit
   * @param onRun called on Ctrl+Enter (Cmd+Enter on a Mac): run the tests
   */
  constructor(parent: HTMLElement, onChange: (path: string, content: string) => void, onRun: () => void) {
    this.extensions = [
      lineNumbers(),
      highlightActiveLineGutter(),
      highlightActiveLine(),
      history(),
      drawSelection(),
      indentOnInput(),
      bracketMatching(),
      indentUnit.of("    "),
      EditorState.tabSize.of(4),
      python(),
      syntaxHighlighting(highlightStyle),
      // Tab indents; Escape then Tab leaves the editor (CodeMirror's own escape hatch), as the hint under the editor says.
      keymap.of([{ key: "Mod-Enter", run: () => (onRun(), true) }, ...defaultKeymap, ...historyKeymap, indentWithTab]),
      editorTheme,
      EditorView.updateListener.of((update) => {
        if (update.docChanged) onChange(this.currentPath, update.state.doc.toString());
      }),
    ];
    this.view = new EditorView({ parent, state: EditorState.create({ doc: "", extensions: this.extensions }) });
  }

  /** Open `path` with `content`; a file opened before keeps its history when its text is unchanged. */
  open(path: string, content: string): void {
    if (this.currentPath) this.states.set(this.currentPath, this.view.state);
    let state = this.states.get(path);
    if (!state || state.doc.toString() !== content) {
      const label = EditorView.contentAttributes.of({ "aria-label": `Contents of ${path}` });
      state = EditorState.create({ doc: content, extensions: [...this.extensions, label] });
    }
    this.currentPath = path;
    this.view.setState(state);
  }

  /** Forget a file's saved state (deleted or renamed). */
  forget(path: string): void {
    this.states.delete(path);
    if (path === this.currentPath) this.currentPath = "";
  }

  /** Forget every file (a new workspace was loaded). */
  reset(): void {
    this.states.clear();
    this.currentPath = "";
  }
}
