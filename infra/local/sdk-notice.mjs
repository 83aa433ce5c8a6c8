// Preloaded by `npm start`: the AWS SDK prints on every start under Node < 22 that its releases
// after January 2027 will need Node 22. The twin supports Node ≥ 20 (package.json engines), as the
// CLI does (bin/evidence.js), so the notice is kept out of its output. A value the user set wins.
process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED ??= 'true';
