const config = { apiKey: 'q8Zr2LkP0vN7xWc4Ty6Bm1HsEa9JdGfU' };
