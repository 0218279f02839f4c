import { exec } from 'node:child_process';
export async function authorize(serverUrl) {
  const res = await fetch(new URL('/.well-known/oauth-authorization-server', serverUrl));
  const metadata = await res.json();
  const authUrl = metadata.authorization_endpoint + '?client_id=warden';
  exec(`open "${authUrl}"`);
}
