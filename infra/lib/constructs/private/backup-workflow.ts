import { Duration, RemovalPolicy, TimeZone } from 'aws-cdk-lib';
import * as iam from 'aws-cdk-lib/aws-iam';
import type * as lambda from 'aws-cdk-lib/aws-lambda';
import * as logs from 'aws-cdk-lib/aws-logs';
import * as scheduler from 'aws-cdk-lib/aws-scheduler';
import * as schedulerTargets from 'aws-cdk-lib/aws-scheduler-targets';
import type * as sns from 'aws-cdk-lib/aws-sns';
import * as sfn from 'aws-cdk-lib/aws-stepfunctions';
import * as tasks from 'aws-cdk-lib/aws-stepfunctions-tasks';
import { Construct } from 'constructs';
import { allowWildcards } from './acknowledgements.ts';

export interface BackupSchedule {
  /** `cron(...)` or `rate(...)`, EventBridge Scheduler's syntax (the same as cairn.yaml's). */
  readonly expression: string;
  /** An IANA time zone, e.g. Europe/Paris. */
  readonly timeZone: string;
  readonly mode: 'full' | 'incremental';
}

export interface ChunkRetry {
  readonly maxAttempts: number;
  readonly interval: Duration;
  readonly backoffRate: number;
}

export interface BackupWorkflowProps {
  readonly job: string;
  readonly schedules: readonly BackupSchedule[];
  readonly maxConcurrency: number;
  readonly planner: lambda.IFunction;
  readonly chunkWorker: lambda.IFunction;
  /** Finalizes or fails a run (may be the planner, told apart by `action`). */
  readonly finalizer: lambda.IFunction;
  readonly failureTopic?: sns.ITopic;
  readonly chunkRetry: ChunkRetry;
  readonly timeout: Duration;
}

/**
 * One job's run: plan → Map of chunk workers (each retried on its own, at most maxConcurrency at once)
 * → finalize. Any failure marks the run failed (the planner releases the job's lease), is published to
 * the hub's topic, and fails the execution. The state carries only the plan: chunk results are written
 * by the workers to the runs table, so a large run never meets Step Functions' 256 KiB state limit.
 *
 * The Lambda payloads (the contract with src/runtime/lambda/backup-tasks.ts):
 *   plan:     { action: "plan", job, mode, startedAt }          → { runId, chunks: [{ index, label }] }
 *   chunk:    { action: "chunk", job, mode, runId, chunk }      → anything (discarded)
 *   finalize: { action: "finalize", job, mode, runId }          → anything
 *   fail:     { action: "fail", job, mode, runId, error }       → anything
 * runId is the planner's answer; finalize and fail go to the finalizer (the planner by default).
 */
export class BackupWorkflow extends Construct {
  public readonly stateMachine: sfn.StateMachine;
  public readonly schedules: scheduler.Schedule[];
  public readonly logGroup: logs.LogGroup;

  constructor(scope: Construct, id: string, props: BackupWorkflowProps) {
    super(scope, id);
    const job = props.job;
    const runId = sfn.JsonPath.stringAt('$.plan.runId');
    const mode = sfn.JsonPath.stringAt('$.mode');

    // The execution's name stands in for the run id until the planner answers, so that a failed plan
    // is still marked and reported.
    const start = new sfn.Pass(this, 'Start', {
      parameters: { 'runId.$': '$$.Execution.Name', chunks: [] },
      resultPath: '$.plan',
    });
    const plan = new tasks.LambdaInvoke(this, 'Plan', {
      lambdaFunction: props.planner,
      payload: sfn.TaskInput.fromObject({
        action: 'plan',
        job,
        mode,
        startedAt: sfn.JsonPath.stringAt('$$.Execution.StartTime'),
      }),
      resultSelector: { 'runId.$': '$.Payload.runId', 'chunks.$': '$.Payload.chunks' },
      resultPath: '$.plan',
      retryOnServiceExceptions: true,
    });
    const chunk = new tasks.LambdaInvoke(this, 'Chunk', {
      lambdaFunction: props.chunkWorker,
      payload: sfn.TaskInput.fromObject({
        action: 'chunk',
        job,
        mode: sfn.JsonPath.stringAt('$.mode'),
        runId: sfn.JsonPath.stringAt('$.runId'),
        chunk: sfn.JsonPath.objectAt('$.chunk'),
      }),
      resultPath: sfn.JsonPath.DISCARD,
      retryOnServiceExceptions: false,
    }).addRetry({
      errors: ['States.ALL'],
      maxAttempts: props.chunkRetry.maxAttempts,
      interval: props.chunkRetry.interval,
      backoffRate: props.chunkRetry.backoffRate,
      jitterStrategy: sfn.JitterType.FULL,
    });
    const chunks = new sfn.Map(this, 'Chunks', {
      itemsPath: '$.plan.chunks',
      itemSelector: {
        mode: sfn.JsonPath.stringAt('$.mode'),
        runId: sfn.JsonPath.stringAt('$.plan.runId'),
        chunk: sfn.JsonPath.stringAt('$$.Map.Item.Value'),
      },
      maxConcurrency: props.maxConcurrency,
      resultPath: sfn.JsonPath.DISCARD,
    });
    chunks.itemProcessor(chunk);
    const finalize = new tasks.LambdaInvoke(this, 'Finalize', {
      lambdaFunction: props.finalizer,
      payload: sfn.TaskInput.fromObject({ action: 'finalize', job, mode, runId }),
      resultPath: sfn.JsonPath.DISCARD,
      retryOnServiceExceptions: true,
    });

    const markFailed = new tasks.LambdaInvoke(this, 'MarkFailed', {
      lambdaFunction: props.finalizer,
      payload: sfn.TaskInput.fromObject({ action: 'fail', job, mode, runId, error: sfn.JsonPath.objectAt('$.error') }),
      resultPath: sfn.JsonPath.DISCARD,
      retryOnServiceExceptions: true,
    });
    const failed = new sfn.Fail(this, 'Failed', { error: 'BackupFailed', cause: `Backup job ${job} failed` });
    let afterMark: sfn.IChainable = failed;
    if (props.failureTopic) {
      const publish = new tasks.SnsPublish(this, 'PublishFailure', {
        topic: props.failureTopic,
        message: sfn.TaskInput.fromObject({
          source: 'cairn',
          type: 'backup.failed',
          job,
          runId,
          error: sfn.JsonPath.stringAt('$.error.Error'),
          cause: sfn.JsonPath.stringAt('$.error.Cause'),
        }),
        messageAttributes: {
          source: { value: 'cairn' },
          service: { value: 'backups' },
          severity: { value: 'error' },
          status: { value: 'firing' },
          title: { value: `Backup ${job} failed` },
          job: { value: job },
        },
        resultPath: sfn.JsonPath.DISCARD,
      });
      publish.addCatch(failed, { resultPath: sfn.JsonPath.DISCARD });
      afterMark = publish.next(failed);
    }
    // Marking the run failed must not hide the original failure: the topic still hears of it.
    markFailed.addCatch(afterMark, { resultPath: sfn.JsonPath.DISCARD });
    const onFailure = markFailed.next(afterMark);
    for (const step of [plan, chunks, finalize]) step.addCatch(onFailure, { resultPath: '$.error' });

    this.logGroup = new logs.LogGroup(this, 'Logs', {
      retention: logs.RetentionDays.THREE_MONTHS,
      removalPolicy: RemovalPolicy.DESTROY,
    });
    this.stateMachine = new sfn.StateMachine(this, 'StateMachine', {
      comment: `Cairn backup job ${job}: plan, chunks, finalize`,
      definitionBody: sfn.DefinitionBody.fromChainable(
        start.next(plan).next(chunks).next(finalize).next(new sfn.Succeed(this, 'Done')),
      ),
      timeout: props.timeout,
      tracingEnabled: true,
      logs: { destination: this.logGroup, level: sfn.LogLevel.ALL, includeExecutionData: false },
    });
    // SnsPublish grants sns:Publish only; an encrypted topic also needs its key.
    if (props.failureTopic?.masterKey) {
      this.stateMachine.addToRolePolicy(
        new iam.PolicyStatement({
          actions: ['kms:Decrypt', 'kms:GenerateDataKey'],
          resources: [props.failureTopic.masterKey.keyArn],
        }),
      );
    }

    this.schedules = props.schedules.map(
      (s, i) =>
        new scheduler.Schedule(this, `Schedule${i}`, {
          description: `Cairn backup ${job} (${s.mode}) ${s.expression} ${s.timeZone}`,
          schedule: scheduler.ScheduleExpression.expression(s.expression, TimeZone.of(s.timeZone)),
          timeWindow: scheduler.TimeWindow.off(),
          target: new schedulerTargets.StepFunctionsStartExecution(this.stateMachine, {
            input: scheduler.ScheduleTargetInput.fromObject({ job, mode: s.mode }),
            retryAttempts: 3,
            maxEventAge: Duration.hours(1),
          }),
        }),
    );

    allowWildcards(this, [
      {
        kind: 'Resource',
        pattern: /^<[A-Za-z0-9]+\.Arn>:\*$/,
        reason:
          'Step Functions invokes the planner and chunk functions by ARN and by any version or alias of them (":*"), as its Lambda task integration requires.',
      },
      {
        kind: 'Resource',
        pattern: /^\*$/,
        reason:
          'Only X-Ray and CloudWatch Logs delivery actions (CreateLogDelivery, …) use Resource "*": neither supports resource-level permissions.',
      },
    ]);
  }
}
