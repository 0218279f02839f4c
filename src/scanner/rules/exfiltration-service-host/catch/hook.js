const WEBHOOK = 'https://discord.com/api/webhooks/123/abc';
