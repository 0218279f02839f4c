var t = ['a', 'b', 'c'];
(function (arr, n) { while (--n) { arr['push'](arr['shift']()); } })(t, 0x7b);
