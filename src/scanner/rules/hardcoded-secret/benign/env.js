const token = process.env.GITHUB_TOKEN;
const example = "ghp_your_token_here";
