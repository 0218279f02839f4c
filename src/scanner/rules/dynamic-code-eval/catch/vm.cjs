const vm = require('node:vm');
module.exports = (src) => vm.runInNewContext(src, {});
