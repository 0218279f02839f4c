import { exec } from 'node:child_process';
export function openInBrowser(url) {
  exec(`xdg-open ${url}`);
}
