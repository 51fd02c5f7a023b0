/**
 * The docs widget: `<script type="module" src=".../widget.js"></script>` on
 * a page turns its marked code blocks into runnable examples (see
 * `mountWidgets` for the markup). Pages that render content later import
 * the module and call `mountWidgets(container)` themselves.
 *
 * All widgets of a page share one Python engine in a Web Worker, booted
 * when the first widget scrolls into view. The engine's files are found
 * next to this script, so a page anywhere can load it.
 */
import { mountWidgets } from "./mount.js";

export { mountWidgets, type MountOptions } from "./mount.js";

if (typeof document !== "undefined") {
  if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", () => mountWidgets(document), { once: true });
  else mountWidgets(document);
}
