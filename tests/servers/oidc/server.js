// A real OpenID Connect provider (the npm package oidc-provider) standing in for the province's
// unified identity platform (山东省统一身份认证平台) in the portal's tests: one client (the
// portal), users who sign in at each assurance level (acr: password, sms, face) with the claims
// the portal maps (sub, name, resident_id, phone_number), and acr_values honoured: a sign-in
// below the level asked for goes through the level's check (the "face check" page) before the
// provider answers, and a session below it is asked to sign in again.
//
//   node server.js --port 0 --client-id portal --client-secret s3cret \
//        --redirect-uri http://localhost:8000/accounts/unified/callback/
//
// Prints "oidc provider listening on http://127.0.0.1:<port>" once ready (tests/servers/oidc.py).

import crypto from 'node:crypto';
import http from 'node:http';
import { parseArgs } from 'node:util';

import Provider, { interactionPolicy } from 'oidc-provider';

const { values: args } = parseArgs({
  options: {
    port: { type: 'string', default: '0' },
    'client-id': { type: 'string', default: 'portal' },
    'client-secret': { type: 'string', default: 'portal-test-secret' },
    'redirect-uri': { type: 'string', multiple: true, default: [] },
  },
});

const LEVELS = ['password', 'sms', 'face'];
const rank = (acr) => LEVELS.indexOf(acr);

// Users and the level each signs in at by default; every password is "demo12345".
export const USERS = {
  face_user: {
    level: 'face', name: '张伟', resident_id: '370202199001011237', phone_number: '13800000021',
  },
  sms_user: {
    level: 'sms', name: '李娜', resident_id: '370203198505052341', phone_number: '13800000022',
  },
  password_user: {
    level: 'password', name: '王芳', resident_id: '370211197803034569', phone_number: '13800000023',
  },
};
const PASSWORD = 'demo12345';

const escape = (s) => String(s).replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);

function page(title, body) {
  return `<!doctype html><html lang="zh-CN"><head><meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1"><title>${escape(title)}</title></head>
<body><main><h1>${escape(title)}</h1>${body}</main></body></html>`;
}

function requested(params) {
  return String(params.acr_values || '').split(' ').filter((v) => LEVELS.includes(v));
}

// The level a sign-in must reach: the lowest of those asked for (any of them satisfies).
function target(params) {
  const asked = requested(params);
  if (!asked.length) return '';
  return asked.sort((a, b) => rank(a) - rank(b))[0];
}

const policy = interactionPolicy.base();
policy.get('login').checks.add(
  new interactionPolicy.Check('acr_values_unmet', 'the session is below the level asked for', (ctx) => {
    const { oidc } = ctx;
    const needed = target(oidc.params);
    if (!needed || !oidc.session.accountId) return interactionPolicy.Check.NO_NEED_TO_PROMPT;
    return rank(oidc.session.acr) >= rank(needed)
      ? interactionPolicy.Check.NO_NEED_TO_PROMPT
      : interactionPolicy.Check.REQUEST_PROMPT;
  }),
);

const { privateKey } = crypto.generateKeyPairSync('rsa', { modulusLength: 2048 });
const jwk = { ...privateKey.export({ format: 'jwk' }), kid: 'test', use: 'sig', alg: 'RS256' };

const server = http.createServer();
server.listen(Number(args.port), '127.0.0.1', () => {
  const issuer = `http://127.0.0.1:${server.address().port}`;
  const provider = new Provider(issuer, {
    clients: [{
      client_id: args['client-id'],
      client_secret: args['client-secret'],
      redirect_uris: args['redirect-uri'],
      grant_types: ['authorization_code'],
      response_types: ['code'],
      token_endpoint_auth_method: 'client_secret_post',
    }],
    jwks: { keys: [jwk] },
    cookies: { keys: [crypto.randomBytes(16).toString('hex')] },
    acrValues: LEVELS,
    scopes: ['openid', 'profile', 'phone', 'resident_id'],
    claims: {
      acr: null, auth_time: null, iss: null, sid: null,
      openid: ['sub'],
      profile: ['name'],
      phone: ['phone_number', 'phone_number_verified'],
      resident_id: ['resident_id'],
    },
    features: { devInteractions: { enabled: false } },
    interactions: { policy, url: (ctx, interaction) => `/interaction/${interaction.uid}` },
    // the portal is the platform's own client: no consent page
    loadExistingGrant: async (ctx) => {
      const grantId = ctx.oidc.result?.consent?.grantId
        || ctx.oidc.session.grantIdFor(ctx.oidc.client.clientId);
      if (grantId) {
        const found = await ctx.oidc.provider.Grant.find(grantId);
        if (found) return found;
      }
      const grant = new ctx.oidc.provider.Grant({
        clientId: ctx.oidc.client.clientId, accountId: ctx.oidc.session.accountId,
      });
      grant.addOIDCScope('openid profile phone resident_id');
      grant.addOIDCClaims(['name', 'phone_number', 'phone_number_verified', 'resident_id']);
      await grant.save();
      return grant;
    },
    findAccount: async (ctx, id) => {
      const user = USERS[id];
      if (!user) return undefined;
      return {
        accountId: id,
        claims: async () => ({
          sub: id,
          name: user.name,
          resident_id: user.resident_id,
          phone_number: user.phone_number,
          phone_number_verified: true,
        }),
      };
    },
    ttl: { Session: 3600, Interaction: 600, Grant: 3600, AccessToken: 600, AuthorizationCode: 60, IdToken: 600 },
  });
  provider.proxy = false;

  const handle = provider.callback();
  // interactions whose password was right and that wait for the level's check
  const pending = new Map();

  async function readForm(req) {
    const chunks = [];
    for await (const chunk of req) chunks.push(chunk);
    return new URLSearchParams(Buffer.concat(chunks).toString());
  }

  function send(res, status, html) {
    res.writeHead(status, { 'Content-Type': 'text/html; charset=utf-8' });
    res.end(html);
  }

  function loginPage(uid, params, error = '') {
    const asked = target(params);
    const options = Object.entries(USERS)
      .map(([id, u]) => `<option value="${id}">${escape(u.name)}（${id}，${u.level}）</option>`).join('');
    return page('山东省统一身份认证平台（测试）', `
${asked ? `<p id="asked-level">本次登录要求的认证级别：${escape(asked)}</p>` : ''}
${error ? `<p role="alert" id="error">${escape(error)}</p>` : ''}
<form method="post" action="/interaction/${uid}/login">
<p><label for="username">账号</label> <select id="username" name="username">${options}</select></p>
<p><label for="password">密码</label> <input id="password" name="password" type="password" autocomplete="current-password"></p>
<p><button type="submit" id="signin">登录</button></p>
</form>`);
  }

  function checkPage(uid, username, level) {
    const title = level === 'face' ? '人脸识别核验' : '短信验证码核验';
    return page(title, `
<p id="check-level">该业务要求${level === 'face' ? '人脸识别' : '短信验证码'}级别的身份认证，请完成核验。</p>
<form method="post" action="/interaction/${uid}/check">
<input type="hidden" name="username" value="${escape(username)}">
<input type="hidden" name="level" value="${escape(level)}">
<p><button type="submit" id="check">完成${title}</button></p>
</form>`);
  }

  async function finish(req, res, accountId, acr) {
    await provider.interactionFinished(
      req, res, { login: { accountId, acr, amr: [acr] } }, { mergeWithLastSubmission: false },
    );
  }

  server.on('request', async (req, res) => {
    const url = new URL(req.url, issuer);
    const match = url.pathname.match(/^\/interaction\/([^/]+)(?:\/(login|check))?$/);
    if (!match) {
      handle(req, res);
      return;
    }
    try {
      const details = await provider.interactionDetails(req, res);
      const [, uid, step] = match;
      if (!step && req.method === 'GET') {
        send(res, 200, loginPage(uid, details.params));
        return;
      }
      const form = await readForm(req);
      const username = form.get('username') || '';
      const user = USERS[username];
      if (step === 'login') {
        if (!user || form.get('password') !== PASSWORD) {
          send(res, 400, loginPage(uid, details.params, '账号或密码错误'));
          return;
        }
        const needed = target(details.params);
        if (needed && rank(user.level) < rank(needed)) {
          pending.set(uid, { username, level: needed });
          send(res, 200, checkPage(uid, username, needed));
          return;
        }
        await finish(req, res, username, user.level);
        return;
      }
      const waiting = pending.get(uid);
      if (step === 'check' && waiting && waiting.username === username) {
        pending.delete(uid);
        await finish(req, res, username, waiting.level);
        return;
      }
      send(res, 400, page('错误', '<p>请求无效</p>'));
    } catch (err) {
      send(res, 400, page('错误', `<p>${escape(err.message)}</p>`));
    }
  });

  // the handler above takes over from here on
  console.log(`oidc provider listening on ${issuer}`);
});
