'use strict';

// Local osls plugin of the trainer service (serverless.yml `plugins: - ./scripts/trainer-deploy-plugin`).
//
// 1. `${trainingSource:key}`: the content-hashed models-bucket key of the SageMaker source archive,
//    code/sourcedir-<sha256[:16]>.tar.gz (scripts/build_source_archive.py --print-key). The featuresReady
//    function's SOURCE_ARCHIVE_URI and the stack output SourceArchiveUri use it, so a change to
//    services/trainer/training/ or shared/ gives a new key and a new upload; a job always runs the code its
//    function names.
// 2. Package (offline): `build_source_archive.py --output <package dir>/training-source/<hashed name>`.
// 3. After deploy:deploy: upload that archive to the stack's SourceArchiveUri (skipped when the object is
//    already there), with osls's own AWS configuration (credentials, region, AWS_ENDPOINT_URL), like the
//    deploy; then give the account's SageMaker training log group a retention (SageMaker creates
//    /aws/sagemaker/TrainingJobs itself, without one; it is shared by every training job of the region).
// Runs on `serverless deploy` in services/trainer and therefore on `osls-compose deploy` too.
// Interpreter: $PYTHON_BIN, else python3 (standard library only). Settings (serverless.yml
// custom.trainingSource): uriOutput (default SourceArchiveUri), sagemakerLogGroup (default
// /aws/sagemaker/TrainingJobs), logRetentionDays (unset: leave that log group alone).

const { spawnSync } = require('child_process');
const fs = require('fs');
const path = require('path');

const SCRIPT = path.join(__dirname, 'build_source_archive.py');

class TrainingSourcePlugin {
  constructor(serverless, options, utils) {
    this.serverless = serverless;
    this.options = options || {};
    this.log = (utils && utils.log) || console;
    this.key = null;
    this.configurationVariablesSources = {
      trainingSource: {
        resolve: async ({ address }) => {
          if (address !== 'key') {
            throw new this.serverless.classes.Error(`\${trainingSource:${address}}: only \${trainingSource:key} exists`);
          }
          return { value: this.archiveKey() };
        },
      },
    };
    this.hooks = {
      'after:package:finalize': () => this.build(),
      'after:deploy:deploy': () => this.upload(),
    };
  }

  settings() {
    const custom = (this.serverless.service.custom || {}).trainingSource || {};
    return {
      uriOutput: custom.uriOutput || 'SourceArchiveUri',
      logGroup: custom.sagemakerLogGroup || '/aws/sagemaker/TrainingJobs',
      retentionDays: custom.logRetentionDays ? Number(custom.logRetentionDays) : null,
    };
  }

  python(args) {
    // Variables resolve before `custom` is usable, so the environment alone chooses the interpreter.
    const pythonBin = process.env.PYTHON_BIN || 'python3';
    const run = spawnSync(pythonBin, [SCRIPT, ...args], { encoding: 'utf-8' });
    if (run.status !== 0) {
      throw new this.serverless.classes.Error(
        `training source archive: \`${pythonBin} ${SCRIPT} ${args.join(' ')}\` failed: ` +
          `${run.error || ''}${run.stdout || ''}${run.stderr || ''}`
      );
    }
    return run.stdout.trim();
  }

  archiveKey() {
    if (!this.key) this.key = this.python(['--print-key']);
    return this.key;
  }

  archiveDir() {
    const packageDir = this.options.package || path.join(this.serverless.serviceDir, '.serverless');
    return path.resolve(this.serverless.serviceDir, packageDir, 'training-source');
  }

  build() {
    const file = path.join(this.archiveDir(), path.basename(this.archiveKey()));
    fs.rmSync(this.archiveDir(), { recursive: true, force: true });
    this.python(['--output', file]);
    this.log.info(`Training source archive built: ${file}`);
  }

  async upload() {
    const { CloudFormationClient, DescribeStacksCommand } = require('@aws-sdk/client-cloudformation');
    const { S3Client, HeadObjectCommand, PutObjectCommand } = require('@aws-sdk/client-s3');
    const provider = this.serverless.getProvider('aws');
    const { uriOutput } = this.settings();
    const config = await provider.getAwsSdkV3Config();
    const stackName = provider.naming.getStackName();
    const stacks = await new CloudFormationClient(config).send(new DescribeStacksCommand({ StackName: stackName }));
    const outputs = (stacks.Stacks && stacks.Stacks[0] && stacks.Stacks[0].Outputs) || [];
    const uriEntry = outputs.find((output) => output.OutputKey === uriOutput);
    if (!uriEntry || !uriEntry.OutputValue.startsWith('s3://')) {
      throw new this.serverless.classes.Error(
        `Stack ${stackName} has no s3:// output ${uriOutput}: cannot upload the training source archive`
      );
    }
    const [bucket, ...rest] = uriEntry.OutputValue.slice('s3://'.length).split('/');
    const key = rest.join('/');
    const file = path.join(this.archiveDir(), path.basename(key));
    if (!fs.existsSync(file)) {
      // The package (this one, or the --package directory) must hold the archive its template names.
      throw new this.serverless.classes.Error(
        `${file} not found: the deployed template names ${key}, which this package did not build; package again`
      );
    }
    const s3 = new S3Client(config);
    let present = false;
    try {
      await s3.send(new HeadObjectCommand({ Bucket: bucket, Key: key }));
      present = true;
    } catch (error) {
      if (!error.$metadata || error.$metadata.httpStatusCode !== 404) throw error;
    }
    if (!present) {
      await s3.send(
        new PutObjectCommand({
          Bucket: bucket,
          Key: key,
          Body: fs.readFileSync(file),
          ContentType: 'application/gzip',
        })
      );
    }
    this.log.notice(`Training source archive ${present ? 'already at' : 'uploaded to'} s3://${bucket}/${key}`);
    await this.retainTrainingLogs(config);
  }

  async retainTrainingLogs(config) {
    const { logGroup, retentionDays } = this.settings();
    if (!retentionDays) return;
    const {
      CloudWatchLogsClient,
      CreateLogGroupCommand,
      PutRetentionPolicyCommand,
    } = require('@aws-sdk/client-cloudwatch-logs');
    const logs = new CloudWatchLogsClient(config);
    try {
      await logs.send(new CreateLogGroupCommand({ logGroupName: logGroup }));
    } catch (error) {
      if (error.name !== 'ResourceAlreadyExistsException') throw error;
    }
    await logs.send(new PutRetentionPolicyCommand({ logGroupName: logGroup, retentionInDays: retentionDays }));
    this.log.notice(`Log group ${logGroup}: retention ${retentionDays} days`);
  }
}

module.exports = TrainingSourcePlugin;
