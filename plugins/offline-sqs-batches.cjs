'use strict';

// LOCAL ONLY (`sls offline`). Replaces serverless-offline-sqs 8.0.0's poll loop with one that feeds the
// processor the way Lambda's SQS event source mapping does, so that the `local` stage can take batches of ten:
//   - ReportBatchItemFailures is honoured: only the messages the handler did not report are deleted; the reported
//     ones stay in the queue, come back after the visibility timeout and reach the DLQ after maxReceiveCount, as
//     on AWS. The plugin deleted every message of a batch once the handler returned, so with a batch size above
//     1 a failed record would have been lost (docs/aws-differences.md).
//   - A batch is whatever the queue holds, up to batchSize, gathered for at most maximumBatchingWindow seconds.
//     The plugin waited until the batch was full or a 5 s receive came back empty, so a lone order waited 5 s.
//   - `pollers` (custom.serverless-offline-sqs.pollers, default 1) concurrent batches per function, as Lambda
//     runs concurrent batches: serverless-offline starts one Python process per busy function instance.
// Everything else (client, queue URL, event shape, start/stop) stays the plugin's own.

const PATCHED_VERSION = '8.0.0';
// How long an empty receive waits: moto answers as soon as one message arrives, so this only bounds how long a
// poller idles on an empty queue (AWS SDK v2's default HTTP timeout is 120 s).
const WAIT_TIME_SECONDS = 5;
const MAX_RECEIVE = 10; // ReceiveMessage's own limit per call

/** The messages of `messages` to delete after the handler answered `result`, as Lambda decides it. */
function succeeded(messages, result, functionResponseType) {
  if (functionResponseType !== 'ReportBatchItemFailures') return messages;
  const failures = result && Array.isArray(result.batchItemFailures) ? result.batchItemFailures : [];
  const ids = new Set(messages.map(({ MessageId }) => MessageId));
  const failed = failures.map((failure) => failure && failure.itemIdentifier);
  // Lambda treats an empty, unknown or missing identifier as a failure of the whole batch.
  if (failed.some((id) => !ids.has(id))) return [];
  const failedIds = new Set(failed);
  return messages.filter(({ MessageId }) => !failedIds.has(MessageId));
}

function patch(SQS, SQSEvent, log) {
  SQS.prototype._sqsEvent = async function sqsEvent(functionKey, definition) {
    const { enabled, arn, queueName, batchSize = 10, maximumBatchingWindow = 0, functionResponseType } = definition;
    if (!enabled) return;
    if (this.options.autoCreate) await this._createQueue(definition);
    const { QueueUrl: url } = await this.client.getQueueUrl({ QueueName: queueName }).promise();
    const QueueUrl = this._rewriteQueueUrl(url);

    const receive = async (size, waitSeconds) => {
      const { Messages = [] } = await this.client
        .receiveMessage({
          QueueUrl,
          MaxNumberOfMessages: Math.min(size, MAX_RECEIVE),
          AttributeNames: ['All'],
          MessageAttributeNames: ['All'],
          WaitTimeSeconds: waitSeconds,
        })
        .promise();
      return Messages;
    };
    const gather = async () => {
      const messages = await receive(batchSize, WAIT_TIME_SECONDS); // waits for the first message only
      const until = Date.now() + maximumBatchingWindow * 1000;
      while (messages.length > 0 && messages.length < batchSize && Date.now() < until) {
        const more = await receive(batchSize - messages.length, 0);
        if (more.length === 0) await new Promise((resolve) => setTimeout(resolve, 50));
        messages.push(...more);
      }
      return messages;
    };
    const job = async () => {
      try {
        const messages = await gather();
        if (messages.length > 0) {
          const lambdaFunction = this.lambda.get(functionKey);
          lambdaFunction.setEvent(new SQSEvent(messages, this.options.region, arn));
          // A handler that throws or times out deletes nothing: the whole batch comes back, as on AWS.
          const result = await lambdaFunction.runHandler();
          const done = succeeded(messages, result, functionResponseType);
          for (let start = 0; start < done.length; start += MAX_RECEIVE) {
            const Entries = done
              .slice(start, start + MAX_RECEIVE)
              .map(({ MessageId: Id, ReceiptHandle }) => ({ Id, ReceiptHandle }));
            await this.client.deleteMessageBatch({ Entries, QueueUrl }).promise();
          }
        }
      } catch (err) {
        log.warning(err.stack);
      }
      this.queue.add(job);
    };
    const pollers = Math.max(1, Number(this.options.pollers || 1));
    for (let poller = 0; poller < pollers; poller += 1) this.queue.add(job);
  };
}

class OfflineSqsBatches {
  constructor(serverless, options, { log }) {
    if (serverless.processedInput.commands[0] !== 'offline') return; // packaging and deploying never load it
    const { version } = require('serverless-offline-sqs/package.json');
    if (version !== PATCHED_VERSION) {
      throw new Error(`offline-sqs-batches patches serverless-offline-sqs ${PATCHED_VERSION}, not ${version}`);
    }
    patch(require('serverless-offline-sqs/src/sqs'), require('serverless-offline-sqs/src/sqs-event'), log);
  }
}

module.exports = OfflineSqsBatches;
module.exports.succeeded = succeeded;
