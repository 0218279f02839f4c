import inspector from 'node:inspector';
if (inspector.url()) process.exit(1);
