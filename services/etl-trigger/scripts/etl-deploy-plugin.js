'use strict';

// Local osls plugin of the etl-trigger service (serverless.yml `plugins: - ./scripts/etl-deploy-plugin`).
//
// 1. Athena named queries: merges ../athena-named-queries.yml (generated from the analysis library by
//    scripts/render_athena_queries.py, committed) into the compiled template, `{stage}` -> the stage.
// 2. Glue artifacts: the job's script and every wheel it installs, built while packaging, uploaded after deploy.
//    `${glueArtifacts:additionalPythonModules}` resolves to the job's --additional-python-modules:
//    `s3://${ProcessedBucket}/glue/wheels/<sha256[:16]>/<wheel>,...` (CloudFormation's !Sub fills in the bucket),
//    our airline_shared and etl_job wheels and the pinned third-party ones of ../requirements-glue.txt, keys from
//    `build_glue_artifacts.py --print-keys` (or, on `deploy --package DIR`, from DIR/glue/manifest.json).
// CloudFormation cannot upload files, and the processed bucket only exists once this stack does, so:
//   package             -> `python scripts/build_glue_artifacts.py --out <package dir>/glue` (the third-party
//                          wheels come from build/glue-wheelhouse/, downloaded by pip when missing there)
//   after deploy:deploy -> upload <package dir>/glue/** to s3://<ProcessedBucketName output>/glue/ (a wheel
//                          already there is skipped: its key is its content hash)
// The upload uses osls's own AWS configuration (credentials, region, AWS_ENDPOINT_URL), like the deploy.
// 3. Glue's log groups: Glue writes every job's logs to account-wide groups it creates without a retention
//    (/aws-glue/jobs/output, /aws-glue/jobs/error, /aws-glue/jobs/logs-v2); after deploy they are created when
//    missing and given `logRetentionDays` (shared with the region's other Glue jobs: set it with that in mind).
// Interpreter: $PYTHON_BIN, else python3 (3.11+, with pip). Settings (serverless.yml custom.glueArtifacts):
// bucketOutput (default ProcessedBucketName), logRetentionDays (unset: leave the log groups alone), logGroups
// (default the three above).

const { spawnSync } = require('child_process');
const fs = require('fs');
const path = require('path');

const SCRIPT = path.join(__dirname, 'build_glue_artifacts.py');
const PREFIX = 'glue/'; // the job's ScriptLocation and its role's policy name the same prefix

class GlueArtifactsPlugin {
  constructor(serverless, options, utils) {
    this.serverless = serverless;
    this.options = options || {};
    this.log = (utils && utils.log) || console;
    this.configurationVariablesSources = {
      glueArtifacts: {
        resolve: async ({ address }) => {
          if (address !== 'additionalPythonModules') {
            throw new this.serverless.classes.Error(
              `\${glueArtifacts:${address}}: only \${glueArtifacts:additionalPythonModules} exists`
            );
          }
          return { value: this.wheelKeys().map((key) => `s3://\${ProcessedBucket}/${PREFIX}${key}`).join(',') };
        },
      },
    };
    this.hooks = {
      'before:package:finalize': () => this.addNamedQueries(),
      'after:package:finalize': () => this.build(),
      'after:deploy:deploy': () => this.upload(),
    };
  }

  settings() {
    const custom = (this.serverless.service.custom || {}).glueArtifacts || {};
    return {
      bucketOutput: custom.bucketOutput || 'ProcessedBucketName',
      retentionDays: custom.logRetentionDays ? Number(custom.logRetentionDays) : null,
      logGroups: custom.logGroups || ['/aws-glue/jobs/output', '/aws-glue/jobs/error', '/aws-glue/jobs/logs-v2'],
    };
  }

  python(args) {
    // Variables resolve before `custom` is usable, so the environment alone chooses the interpreter.
    const pythonBin = process.env.PYTHON_BIN || 'python3';
    const run = spawnSync(pythonBin, [SCRIPT, ...args], { encoding: 'utf-8' });
    if (run.status !== 0) {
      throw new this.serverless.classes.Error(
        `Glue artifacts: \`${pythonBin} ${SCRIPT} ${args.join(' ')}\` failed: ` +
          `${run.error || ''}${run.stdout || ''}${run.stderr || ''}`
      );
    }
    return run.stdout.trim();
  }

  wheelKeys() {
    if (this.keys) return this.keys;
    const manifest = path.join(this.artifactsDir(), 'manifest.json');
    const commands = (this.serverless.processedInput && this.serverless.processedInput.commands) || [];
    if (this.options.package && commands[0] === 'deploy' && fs.existsSync(manifest)) {
      // Deploying a package: its template already names its wheels; read them rather than build again.
      this.keys = Object.keys(JSON.parse(fs.readFileSync(manifest, 'utf-8'))).filter((k) => k.startsWith('wheels/'));
    } else {
      this.keys = this.python(['--print-keys']).split('\n').filter(Boolean);
    }
    return this.keys;
  }

  addNamedQueries() {
    const yaml = require('js-yaml');
    const file = path.join(this.serverless.serviceDir, 'athena-named-queries.yml');
    const stage = this.serverless.getProvider('aws').getStage();
    const parsed = yaml.load(fs.readFileSync(file, 'utf-8')) || {};
    const template = this.serverless.service.provider.compiledCloudFormationTemplate;
    const resources = parsed.Resources || {};
    for (const [logicalId, resource] of Object.entries(resources)) {
      if (template.Resources[logicalId]) {
        throw new this.serverless.classes.Error(`athena-named-queries.yml: ${logicalId} already exists in the template`);
      }
      resource.Properties.Name = resource.Properties.Name.split('{stage}').join(stage);
      template.Resources[logicalId] = resource;
    }
    this.log.info(`Added ${Object.keys(resources).length} Athena named queries from ${file}`);
  }

  artifactsDir() {
    const packageDir = this.options.package || path.join(this.serverless.serviceDir, '.serverless');
    return path.resolve(this.serverless.serviceDir, packageDir, 'glue');
  }

  build() {
    const out = this.artifactsDir();
    this.python(['--out', out]);
    const built = Object.keys(JSON.parse(fs.readFileSync(path.join(out, 'manifest.json'), 'utf-8')));
    const missing = this.wheelKeys().filter((key) => !built.includes(key));
    if (missing.length) {
      // The template names what the variable resolved to: the build must have produced exactly those wheels.
      throw new this.serverless.classes.Error(`Glue artifacts: the build did not produce ${missing.join(', ')}`);
    }
    this.log.info(`Glue artifacts built in ${out}`);
  }

  listFiles(dir, base = dir) {
    return fs.readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
      const full = path.join(dir, entry.name);
      if (entry.isDirectory()) return this.listFiles(full, base);
      return [path.relative(base, full).split(path.sep).join('/')];
    });
  }

  async upload() {
    const { CloudFormationClient, DescribeStacksCommand } = require('@aws-sdk/client-cloudformation');
    const { S3Client, HeadObjectCommand, PutObjectCommand } = require('@aws-sdk/client-s3');
    const provider = this.serverless.getProvider('aws');
    const { bucketOutput } = this.settings();
    const dir = this.artifactsDir();
    if (!fs.existsSync(path.join(dir, 'manifest.json'))) this.build();

    const config = await provider.getAwsSdkV3Config();
    const stackName = provider.naming.getStackName();
    const stacks = await new CloudFormationClient(config).send(new DescribeStacksCommand({ StackName: stackName }));
    const outputs = (stacks.Stacks && stacks.Stacks[0] && stacks.Stacks[0].Outputs) || [];
    const bucketEntry = outputs.find((output) => output.OutputKey === bucketOutput);
    if (!bucketEntry) {
      throw new this.serverless.classes.Error(
        `Stack ${stackName} has no output ${bucketOutput}: cannot upload the Glue artifacts`
      );
    }
    const bucket = bucketEntry.OutputValue;
    const s3 = new S3Client(config);
    const files = this.listFiles(dir);
    let skipped = 0;
    for (const file of files) {
      const key = `${PREFIX}${file}`;
      if (file.startsWith('wheels/') && (await this.exists(s3, HeadObjectCommand, bucket, key))) {
        skipped += 1; // content-hashed key: the same bytes are already there
        continue;
      }
      await s3.send(new PutObjectCommand({ Bucket: bucket, Key: key, Body: fs.readFileSync(path.join(dir, file)) }));
    }
    this.log.notice(
      `Glue artifacts uploaded to s3://${bucket}/${PREFIX} (${files.length - skipped} files, ${skipped} already there)`
    );
    await this.retainGlueLogs(config);
  }

  async exists(s3, HeadObjectCommand, bucket, key) {
    try {
      await s3.send(new HeadObjectCommand({ Bucket: bucket, Key: key }));
      return true;
    } catch (error) {
      if (error.$metadata && error.$metadata.httpStatusCode === 404) return false;
      throw error;
    }
  }

  async retainGlueLogs(config) {
    const { retentionDays, logGroups } = this.settings();
    if (!retentionDays) return;
    const {
      CloudWatchLogsClient,
      CreateLogGroupCommand,
      PutRetentionPolicyCommand,
    } = require('@aws-sdk/client-cloudwatch-logs');
    const logs = new CloudWatchLogsClient(config);
    for (const logGroupName of logGroups) {
      try {
        await logs.send(new CreateLogGroupCommand({ logGroupName }));
      } catch (error) {
        if (error.name !== 'ResourceAlreadyExistsException') throw error;
      }
      await logs.send(new PutRetentionPolicyCommand({ logGroupName, retentionInDays: retentionDays }));
    }
    this.log.notice(`Glue log groups ${logGroups.join(', ')}: retention ${retentionDays} days`);
  }
}

module.exports = GlueArtifactsPlugin;
