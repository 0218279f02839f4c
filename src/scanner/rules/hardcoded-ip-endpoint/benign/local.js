const DEV = 'http://127.0.0.1:3000/api';
const LAN = 'http://192.168.1.10/';
const API = 'https://api.example.com/v1';
