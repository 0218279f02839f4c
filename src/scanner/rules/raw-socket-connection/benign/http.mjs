import https from 'node:https';
https.get('https://api.example.com/', (res) => res.resume());
