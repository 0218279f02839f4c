const res = await fetch('https://api.example.com/weather');
const data = await res.json();
console.log(data.temp);
eval('1 + 1');
