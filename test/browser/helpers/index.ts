/** Browser test helpers: Chromium, the static site server, page watching, screenshots, the playground contract. */
export { chromiumArgs, chromiumPath, launchChromium } from "./chromium.js";
export { isolationHeaders, siteDir, startStaticServer, type StaticServer, type StaticServerOptions } from "./static-server.js";
export { watchPage, type PageWatch } from "./page-watch.js";
export { screenshot, screenshotDir } from "./screenshot.js";
export { browserTestTimeoutMs, newContext, useBrowser, useServer } from "./suite.js";
export { runBudgetMs, statusText, treeOutcomes, waitForReady, waitForRunEnd, waitForRunState } from "./playground.js";
