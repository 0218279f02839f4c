// A local helper named exec is not child_process.exec.
function exec(query) { return query.trim(); }
const re = /a+/;
re.exec('aaa');
exec(' select 1 ');
