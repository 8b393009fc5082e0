'use strict';

// Local osls plugin (serverless.yml `plugins: - ./predictor_packaging/precompile-bytecode`): after serverless-python-requirements has injected the dependencies into the
// artifact, add unchecked-hash .pyc files compiled by the runtime's Python (precompile.py).
// Why: `slim` strips every .pyc and /var/task is read-only, so without bytecode every cold start
// compiles all imported modules from source (~850 ms instead of ~300 ms for the predict function).
// Interpreter: $LAMBDA_PYTHON_BIN, else the runtime's name (python3.12) on PATH. When none matches the
// runtime, packaging goes on with a warning (the functions still work, with slower cold starts) unless
// custom.precompileBytecode.required is true, which makes it an error.

const path = require('path');
const { spawnSync } = require('child_process');

class PrecompileBytecode {
  constructor(serverless, options, utils) {
    this.serverless = serverless;
    this.log = (utils && utils.log) || { notice: console.log, warning: console.warn };
    this.hooks = {
      'after:package:createDeploymentArtifacts': () => this.precompile(),
    };
  }

  artifacts() {
    const service = this.serverless.service;
    const found = new Set();
    if (service.package && service.package.artifact) found.add(service.package.artifact);
    for (const name of service.getAllFunctions()) {
      const fn = service.getFunction(name);
      if (fn.package && fn.package.artifact) found.add(fn.package.artifact);
    }
    return [...found].map((a) => path.resolve(this.serverless.serviceDir, a));
  }

  precompile() {
    const service = this.serverless.service;
    const config = (service.custom && service.custom.precompileBytecode) || {};
    const runtime = service.provider.runtime;
    const python = process.env.LAMBDA_PYTHON_BIN || runtime;
    const script = path.join(__dirname, 'precompile.py');
    for (const artifact of this.artifacts()) {
      const run = spawnSync(python, [script, '--runtime', runtime, artifact], { encoding: 'utf8' });
      if (run.status === 0) {
        this.log.notice(`precompiled bytecode for ${runtime} into ${path.basename(artifact)}: ${run.stdout.trim()}`);
        continue;
      }
      const why = run.error ? run.error.message : (run.stderr || run.stdout).trim();
      const noInterpreter = run.error || run.status === 2 || run.status === 127; // missing or wrong Python
      if (!noInterpreter) throw new this.serverless.classes.Error(`precompile.py failed on ${artifact}: ${why}`);
      const message =
        `no bytecode added to ${path.basename(artifact)} (${python}: ${why}); cold starts will compile ` +
        `every module from source. Set LAMBDA_PYTHON_BIN to a ${runtime} interpreter.`;
      if (config.required) throw new this.serverless.classes.Error(message);
      this.log.warning(message);
    }
  }
}

module.exports = PrecompileBytecode;
