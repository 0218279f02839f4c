const DOCS = 'https://discord.com/channels/1234';
const API = 'https://api.telegram.example/v1';
