/**
 * Light and dark themes. By default the page follows the system's
 * `prefers-color-scheme`; the toggle cycles system → light → dark and the
 * choice is remembered in localStorage.
 */
export type ThemeChoice = "system" | "light" | "dark";

const THEME_KEY = "fastest-playground:theme";
const ORDER: ThemeChoice[] = ["system", "light", "dark"];

function storedChoice(): ThemeChoice {
  try {
    const value = localStorage.getItem(THEME_KEY);
    return value === "light" || value === "dark" ? value : "system";
  } catch {
    return "system";
  }
}

/** Apply a choice: `data-theme` on <html> (absent for "system"), which the CSS keys on. */
export function applyTheme(choice: ThemeChoice): void {
  if (choice === "system") delete document.documentElement.dataset.theme;
  else document.documentElement.dataset.theme = choice;
}

/** Wire the toggle button and apply the stored choice. */
export function setUpThemeToggle(button: HTMLButtonElement): void {
  let choice = storedChoice();
  const show = (): void => {
    applyTheme(choice);
    button.textContent = `Theme: ${choice}`;
    button.setAttribute("aria-label", `Theme: ${choice} (change theme)`);
  };
  button.addEventListener("click", () => {
    choice = ORDER[(ORDER.indexOf(choice) + 1) % ORDER.length]!;
    try {
      localStorage.setItem(THEME_KEY, choice);
    } catch {
      // storage refused: the choice lasts for this visit only
    }
    show();
  });
  show();
}
