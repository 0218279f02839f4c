const key = process.env.WEATHER_API_KEY;
const res = await fetch('https://api.weather.example/v1/now', { headers: { Authorization: `Bearer ${key}` } });
console.log(await res.json());
