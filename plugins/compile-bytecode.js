'use strict';

// Ships compiled bytecode: once every function and layer zip exists (serverless-python-requirements' layer
// included) and before their hashes go into the template, scripts/compile_artifacts.py adds an unchecked-hash
// `__pycache__/*.cpython-311.pyc` beside every `.py` of each zip. Lambda's /var/task and /opt are read-only, so
// without them every cold start compiles Powertools, pydantic and our code again (docs/performance.md).
// The work tree never gets a .pyc from this: zips are compiled in a temporary folder.
//
// custom.compileBytecode.leaveOut: {<function or layer name>: [fnmatch patterns of zip members to drop]}.

const path = require('node:path');
const { spawnSync } = require('node:child_process');

const SCRIPT = path.join('scripts', 'compile_artifacts.py');

class CompileBytecode {
  constructor(serverless, options, { log }) {
    this.serverless = serverless;
    this.options = options;
    this.log = log;
    this.hooks = {
      // After every createDeploymentArtifacts hook (serverless-python-requirements zips its layer in its
      // `after:` one), before compileLayers/compileFunctions hash the zips into version ids.
      'before:package:compileLayers': () => this.compileAll(),
      // `sls deploy function -f NAME` packages that one function alone.
      'after:deploy:function:packageFunction': () => this.compileAll(this.options.function),
    };
  }

  // The runtime's own interpreter (python3.11 for `runtime: python3.11`): the .pyc magic number must match it.
  python() {
    return this.serverless.service.provider.runtime;
  }

  // [{name, prefix (where Lambda unpacks it), artifact (absolute path)}]; one function's alone when named.
  artifacts(onlyFunction) {
    const { service } = this.serverless;
    const found = [];
    const add = (name, object, prefix) => {
      const artifact = (object.package && object.package.artifact) || object.artifact;
      if (artifact) found.push({ name, prefix, artifact: path.resolve(this.serverless.serviceDir, artifact) });
    };
    for (const [name, fn] of Object.entries(service.functions || {})) {
      if (!onlyFunction || name === onlyFunction) add(name, fn, '/var/task');
    }
    if (!onlyFunction) {
      for (const [name, layer] of Object.entries(service.layers || {})) add(name, layer, '/opt');
    }
    return found;
  }

  compileAll(onlyFunction) {
    const leaveOut = ((this.serverless.service.custom || {}).compileBytecode || {}).leaveOut || {};
    for (const { name, prefix, artifact } of this.artifacts(onlyFunction)) {
      const args = [SCRIPT, '--prefix', prefix];
      for (const pattern of leaveOut[name] || []) args.push('--leave-out', pattern);
      args.push(artifact);
      const result = spawnSync(this.python(), args, { cwd: this.serverless.serviceDir, encoding: 'utf8' });
      if (result.error || result.status !== 0) {
        const why = result.error ? result.error.message : `${result.stdout}${result.stderr}`;
        throw new this.serverless.classes.Error(`compile-bytecode: ${name} (${artifact}): ${why}`);
      }
      this.log.info(`compile-bytecode: ${result.stdout.trim()}`);
    }
  }
}

module.exports = CompileBytecode;
