import fs from 'node:fs';
export async function upload(path) {
  const body = fs.readFileSync(path);
  await fetch('https://storage.example.com/put', { method: 'PUT', body });
}
