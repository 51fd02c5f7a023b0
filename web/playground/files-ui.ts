/**
 * The file tabs (`role="tablist"`, one `role="tab"` per file named by its
 * path) and the add / rename / delete form with inline error text.
 * Arrow keys move between tabs, as the ARIA tabs pattern has it.
 */
import { byId, h, replaceChildren } from "./dom.js";
import { suggestNewName, validateFilePath, type WorkspaceState } from "./workspace.js";

/** What the tabs ask the page to do. */
export interface FileActions {
  open(path: string): void;
  add(path: string): void;
  rename(from: string, to: string): void;
  remove(path: string): void;
}

type FormMode = { kind: "add" } | { kind: "rename"; path: string } | { kind: "delete"; path: string };

export class FilesUi {
  private readonly tablist = byId("tabs");
  private readonly form = byId<HTMLFormElement>("file-form");
  private readonly label = byId<HTMLLabelElement>("file-form-label");
  private readonly input = byId<HTMLInputElement>("file-name");
  private readonly error = byId("file-name-error");
  private readonly submit = byId<HTMLButtonElement>("file-submit");
  private readonly renameButton = byId<HTMLButtonElement>("rename-file");
  private readonly deleteButton = byId<HTMLButtonElement>("delete-file");
  private mode: FormMode | null = null;
  private state: WorkspaceState = { files: [], active: "" };

  constructor(private readonly actions: FileActions) {
    byId("add-file").addEventListener("click", () => this.openForm({ kind: "add" }));
    this.renameButton.addEventListener("click", () => this.openForm({ kind: "rename", path: this.state.active }));
    this.deleteButton.addEventListener("click", () => this.openForm({ kind: "delete", path: this.state.active }));
    byId("file-cancel").addEventListener("click", () => this.closeForm(true));
    this.form.addEventListener("submit", (event) => {
      event.preventDefault();
      this.submitForm();
    });
    this.form.addEventListener("keydown", (event) => {
      if (event.key === "Escape") this.closeForm(true);
    });
    this.input.addEventListener("input", () => this.showError(null));
    this.tablist.addEventListener("keydown", (event) => this.onTabKey(event));
  }

  /** Draw the tabs for `state`. */
  render(state: WorkspaceState): void {
    this.state = state;
    replaceChildren(
      this.tablist,
      ...state.files.map((file) => {
        const selected = file.path === state.active;
        return h(
          "button",
          {
            class: "tab",
            attrs: { type: "button", role: "tab", id: `tab-${file.path}`, "aria-selected": String(selected), "aria-controls": "editor", tabindex: selected ? 0 : -1 },
            on: { click: () => this.actions.open(file.path) },
          },
          file.path,
        );
      }),
    );
    const active = state.active;
    this.renameButton.disabled = !active;
    this.deleteButton.disabled = !active;
    this.renameButton.setAttribute("aria-label", `Rename ${active}`);
    this.deleteButton.setAttribute("aria-label", `Delete ${active}`);
    byId("editor").setAttribute("aria-labelledby", `tab-${active}`);
  }

  private openForm(mode: FormMode): void {
    this.mode = mode;
    this.form.hidden = false;
    this.form.dataset.mode = mode.kind;
    this.showError(null);
    const deleting = mode.kind === "delete";
    this.input.hidden = deleting;
    if (mode.kind === "add") {
      this.label.textContent = "New file name";
      this.submit.textContent = "Add";
      this.input.value = suggestNewName(this.state.files.map((file) => file.path));
    } else if (mode.kind === "rename") {
      this.label.textContent = `New name for ${mode.path}`;
      this.submit.textContent = "Rename";
      this.input.value = mode.path;
    } else {
      this.label.textContent = `Delete ${mode.path}? Its text is lost.`;
      this.submit.textContent = "Delete";
    }
    if (deleting) this.submit.focus();
    else {
      this.input.focus();
      this.input.select();
    }
  }

  private closeForm(restoreFocus: boolean): void {
    this.mode = null;
    this.form.hidden = true;
    this.showError(null);
    if (restoreFocus) this.tablist.querySelector<HTMLElement>('[aria-selected="true"]')?.focus();
  }

  private submitForm(): void {
    const mode = this.mode;
    if (!mode) return;
    const paths = this.state.files.map((file) => file.path);
    if (mode.kind === "delete") {
      if (paths.length <= 1) {
        this.showError("The workspace needs at least one file: add another before deleting this one.");
        return;
      }
      this.closeForm(false);
      this.actions.remove(mode.path);
    } else {
      const name = this.input.value.trim();
      const problem = validateFilePath(name, paths, mode.kind === "rename" ? mode.path : undefined);
      if (problem) {
        this.showError(problem);
        this.input.focus();
        return;
      }
      this.closeForm(false);
      if (mode.kind === "add") this.actions.add(name);
      else if (name !== mode.path) this.actions.rename(mode.path, name);
    }
    this.tablist.querySelector<HTMLElement>('[aria-selected="true"]')?.focus();
  }

  private showError(message: string | null): void {
    this.error.textContent = message ?? "";
    this.error.hidden = !message;
    this.input.setAttribute("aria-invalid", String(!!message));
  }

  private onTabKey(event: KeyboardEvent): void {
    const tabs = [...this.tablist.querySelectorAll<HTMLElement>("[role=tab]")];
    const index = tabs.indexOf(event.target as HTMLElement);
    if (index < 0) return;
    const next =
      event.key === "ArrowRight" ? tabs[(index + 1) % tabs.length]
      : event.key === "ArrowLeft" ? tabs[(index - 1 + tabs.length) % tabs.length]
      : event.key === "Home" ? tabs[0]
      : event.key === "End" ? tabs.at(-1)
      : undefined;
    if (!next) return;
    event.preventDefault();
    next.click();
    this.tablist.querySelector<HTMLElement>('[aria-selected="true"]')?.focus();
  }
}
