import { defineConfig } from "vite";

// The browser playground and docs widget (web/) build from here. They arrive
// with the browser issue; for now the config only names the app's folder.
export default defineConfig({
  root: "web",
  build: { outDir: "../dist/web", emptyOutDir: true },
});
