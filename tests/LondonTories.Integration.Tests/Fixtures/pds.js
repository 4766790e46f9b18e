// A Bluesky Personal Data Server for the tests, with a PLC directory of its own: the reference
// PDS from npm, in development mode on a loopback port with its data in the folder given as the
// first argument. Prints "PDS listening on <port>" once it answers, and stops when stdin closes,
// which happens when the test process ends, however it ends.
'use strict';

const http = require('node:http');
const net = require('node:net');
const path = require('node:path');
const crypto = require('node:crypto');
const plc = require('@did-plc/lib');
const { Secp256k1Keypair } = require('@atproto/crypto');
const { PDS, envToCfg, envToSecrets, readEnv } = require('@atproto/pds');

// The PLC directory: keeps every operation a DID's owner posts, checked as the real directory
// checks them, and serves the document they add up to.
function startPlc() {
  const logs = new Map();
  const send = (res, status, body) => {
    res.writeHead(status, { 'content-type': 'application/json' });
    res.end(JSON.stringify(body));
  };
  const server = http.createServer(async (req, res) => {
    try {
      const [did, ...rest] = decodeURIComponent(req.url.split('?')[0]).slice(1).split('/');
      if (did === '_health') return send(res, 200, { version: 'test' });
      const ops = logs.get(did) ?? [];
      if (req.method === 'POST') {
        let body = '';
        for await (const chunk of req) body += chunk;
        const op = JSON.parse(body);
        await plc.assureValidNextOp(did, ops.map((o) => ({ did, operation: o.operation, cid: o.cid, nullified: false, createdAt: o.createdAt })), op);
        const { cid } = await plc.getLastOpWithCid([...ops.map((o) => o.operation), op]);
        logs.set(did, [...ops, { operation: op, cid, createdAt: new Date() }]);
        return send(res, 200, {});
      }
      if (ops.length === 0) return send(res, 404, { message: `DID not registered: ${did}` });
      const operations = ops.map((o) => o.operation);
      const data = await plc.validateOperationLog(did, operations);
      if (data === null) return send(res, 410, { message: `DID not available: ${did}` });
      switch (rest.join('/')) {
        case '': return send(res, 200, plc.formatDidDoc(data));
        case 'data': return send(res, 200, data);
        case 'log': return send(res, 200, operations);
        case 'log/last': return send(res, 200, operations[operations.length - 1]);
        case 'log/audit': return send(res, 200, ops.map((o) => ({ did, operation: o.operation, cid: o.cid.toString(), nullified: false, createdAt: o.createdAt.toISOString() })));
        default: return send(res, 404, { message: 'Not found' });
      }
    } catch (err) {
      return send(res, 400, { message: String(err && err.message || err) });
    }
  });
  return new Promise((resolve) => server.listen(0, '127.0.0.1', () => resolve(server)));
}

// The PDS names itself by its port, so it needs one before it starts.
function freePort() {
  return new Promise((resolve, reject) => {
    const probe = net.createServer();
    probe.on('error', reject);
    probe.listen(0, '127.0.0.1', () => {
      const { port } = probe.address();
      probe.close(() => resolve(port));
    });
  });
}

async function main() {
  const dataDirectory = process.argv[2];
  const plcServer = await startPlc();
  const rotationKey = await Secp256k1Keypair.create({ exportable: true });
  const port = await freePort();
  Object.assign(process.env, {
    PDS_PORT: String(port),
    PDS_HOSTNAME: 'localhost',
    PDS_DEV_MODE: 'true',
    PDS_DATA_DIRECTORY: dataDirectory,
    PDS_BLOBSTORE_DISK_LOCATION: path.join(dataDirectory, 'blobs'),
    PDS_DID_PLC_URL: `http://127.0.0.1:${plcServer.address().port}`,
    PDS_JWT_SECRET: crypto.randomBytes(16).toString('hex'),
    PDS_ADMIN_PASSWORD: crypto.randomBytes(16).toString('hex'),
    PDS_PLC_ROTATION_KEY_K256_PRIVATE_KEY_HEX: Buffer.from(await rotationKey.export()).toString('hex'),
    PDS_SERVICE_HANDLE_DOMAINS: '.test',
    PDS_INVITE_REQUIRED: 'false',
    PDS_RATE_LIMITS_ENABLED: 'false',
    PDS_CRAWLERS: '',
    LOG_ENABLED: 'false',
  });
  const env = readEnv();
  const pds = await PDS.create(envToCfg(env), envToSecrets(env));
  await pds.start();

  const stop = async () => {
    try {
      await pds.destroy();
    } finally {
      plcServer.close();
      process.exit(0);
    }
  };
  process.stdin.on('end', stop);
  process.stdin.on('error', stop);
  process.stdin.resume();
  process.on('SIGTERM', stop);
  process.on('SIGINT', stop);
  console.log(`PDS listening on ${port}`);
}

main().catch((err) => {
  console.error(err);
  process.exit(1);
});
