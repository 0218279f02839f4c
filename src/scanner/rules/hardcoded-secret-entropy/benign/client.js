const config = { apiKey: process.env.API_KEY, tokenUrl: 'https://auth.example.com/oauth/token' };
const passwordHint = 'at least twelve characters';
const id = 'q8Zr2LkP0vN7xWc4Ty6Bm1HsEa9JdGfU';
