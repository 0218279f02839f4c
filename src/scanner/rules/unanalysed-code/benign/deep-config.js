// Deep but ordinary nesting: a generated route table and nested callbacks.
const routes = { api: { v1: { users: { list: { get: [{ auth: { roles: ['admin', ['owner', ['editor']]] } }] } } } } };
module.exports = function setup(app) {
  app.use((req, res, next) => {
    if (req.user) {
      for (const r of routes.api.v1.users.list.get) {
        if (r.auth.roles.includes(req.user.role)) {
          return next(() => ({ ok: [[[[[[[[[[1]]]]]]]]]] }));
        }
      }
    }
    return res.status(403).end();
  });
};
