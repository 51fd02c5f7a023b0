// The docs widget at its fixed address: pages load `widget.js` next to the
// playground, in development (served by Vite) and in the built site (where
// the build writes the bundled module under this same name). The code lives
// in widget/widget.ts.
export * from "./widget/widget.ts";
