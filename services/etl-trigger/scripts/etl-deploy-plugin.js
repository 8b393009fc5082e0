'use strict';

// Local osls plugin of the etl-trigger service (serverless.yml `plugins: - ./scripts/etl-deploy-plugin`).
//
// 1. Athena named queries: merges ../athena-named-queries.yml (generated from the analysis library by
//    scripts/render_athena_queries.py, committed) into the compiled template, `{stage}` -> the stage.
// 2. Glue artifacts: the job's script and wheels, built while packaging and uploaded after deploy.
//
// CloudFormation cannot upload files, and the processed bucket only exists once this stack does, so:
//   package (offline)   -> `python scripts/build_glue_artifacts.py --out <package dir>/glue`
//   after deploy:deploy -> upload <package dir>/glue/** to s3://<ProcessedBucketName output>/glue/
// The upload uses osls's own AWS configuration (credentials, region, AWS_ENDPOINT_URL), like the deploy.
// 3. Glue's log groups: Glue writes every job's logs to account-wide groups it creates without a retention
//    (/aws-glue/jobs/output, /aws-glue/jobs/error, /aws-glue/jobs/logs-v2); after deploy they are created when
//    missing and given `logRetentionDays` (shared with the region's other Glue jobs: set it with that in mind).
// Settings (serverless.yml custom.glueArtifacts): pythonBin (default $PYTHON_BIN or python3),
// bucketOutput (default ProcessedBucketName), prefix (default glue/), logRetentionDays (unset: leave the
// log groups alone), logGroups (default the three above).

const { spawnSync } = require('child_process');
const fs = require('fs');
const path = require('path');

class GlueArtifactsPlugin {
  constructor(serverless, options, utils) {
    this.serverless = serverless;
    this.options = options || {};
    this.log = (utils && utils.log) || console;
    this.hooks = {
      'before:package:finalize': () => this.addNamedQueries(),
      'after:package:finalize': () => this.build(),
      'after:deploy:deploy': () => this.upload(),
    };
  }

  settings() {
    const custom = (this.serverless.service.custom || {}).glueArtifacts || {};
    return {
      pythonBin: custom.pythonBin || process.env.PYTHON_BIN || 'python3',
      bucketOutput: custom.bucketOutput || 'ProcessedBucketName',
      prefix: custom.prefix || 'glue/',
      retentionDays: custom.logRetentionDays ? Number(custom.logRetentionDays) : null,
      logGroups: custom.logGroups || ['/aws-glue/jobs/output', '/aws-glue/jobs/error', '/aws-glue/jobs/logs-v2'],
    };
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
    const script = path.join(__dirname, 'build_glue_artifacts.py');
    const result = spawnSync(this.settings().pythonBin, [script, '--out', out], { encoding: 'utf-8' });
    if (result.status !== 0) {
      throw new this.serverless.classes.Error(
        `Glue artifacts build failed: ${result.error || ''}${result.stdout || ''}${result.stderr || ''}`
      );
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
    const { S3Client, PutObjectCommand } = require('@aws-sdk/client-s3');
    const provider = this.serverless.getProvider('aws');
    const { bucketOutput, prefix } = this.settings();
    const dir = this.artifactsDir();
    if (!fs.existsSync(path.join(dir, 'glue_main.py'))) this.build();

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
    const s3 = new S3Client(config);
    const files = this.listFiles(dir);
    for (const file of files) {
      await s3.send(
        new PutObjectCommand({
          Bucket: bucketEntry.OutputValue,
          Key: `${prefix}${file}`,
          Body: fs.readFileSync(path.join(dir, file)),
        })
      );
    }
    this.log.notice(`Glue artifacts uploaded to s3://${bucketEntry.OutputValue}/${prefix} (${files.length} files)`);
    await this.retainGlueLogs(config);
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
