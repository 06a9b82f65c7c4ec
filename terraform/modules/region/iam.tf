# IAM for the two services.
#   execution role: what ECS itself needs to start a task (pull the image, write logs, resolve the secrets).
#   task roles:     what the application needs at run time; here only Kafka through MSK IAM authentication.

data "aws_iam_policy_document" "ecs_tasks_assume" {
  statement {
    actions = ["sts:AssumeRole"]

    principals {
      type        = "Service"
      identifiers = ["ecs-tasks.amazonaws.com"]
    }

    # Only tasks of this account may assume the roles (confused-deputy protection).
    condition {
      test     = "StringEquals"
      variable = "aws:SourceAccount"
      values   = [data.aws_caller_identity.current.account_id]
    }
  }
}

# --- execution role (shared by both services) --------------------------------------------------------------------------

resource "aws_iam_role" "execution" {
  name               = "${local.name}-ecs-execution"
  assume_role_policy = data.aws_iam_policy_document.ecs_tasks_assume.json
  tags               = local.tags
}

resource "aws_iam_role_policy_attachment" "execution" {
  role       = aws_iam_role.execution.name
  policy_arn = "arn:${data.aws_partition.current.partition}:iam::aws:policy/service-role/AmazonECSTaskExecutionRolePolicy"
}

data "aws_iam_policy_document" "execution_secrets" {
  statement {
    sid       = "ReadServiceSecrets"
    actions   = ["secretsmanager:GetSecretValue"]
    resources = distinct(concat([var.internal_secret_arn, var.redis_auth_token_secret_arn], values(var.extra_secrets)))
  }

  dynamic "statement" {
    for_each = var.secrets_kms_key_arn == null ? [] : [var.secrets_kms_key_arn]
    content {
      sid       = "DecryptServiceSecrets"
      actions   = ["kms:Decrypt"]
      resources = [statement.value]
    }
  }
}

resource "aws_iam_role_policy" "execution_secrets" {
  name   = "read-secrets"
  role   = aws_iam_role.execution.id
  policy = data.aws_iam_policy_document.execution_secrets.json
}

# --- task roles ----------------------------------------------------------------------------------------------------------

locals {
  # MSK IAM resource ARNs are derived from the cluster ARN:
  #   cluster arn:...:cluster/<name>/<uuid>   topic arn:...:topic/<name>/<uuid>/<topic>   group arn:...:group/<name>/<uuid>/<group>
  msk_topic_arn_prefix = replace(aws_msk_cluster.this.arn, ":cluster/", ":topic/")
  msk_group_arn_prefix = replace(aws_msk_cluster.this.arn, ":cluster/", ":group/")
}

# Both services produce and consume on the meridian.* topics: the gateway produces meridian.<R>.events and
# meridian.<R>.hotkeys and creates them when missing; the replicator consumes every region's topics (its own consumer
# groups) and produces to its dead-letter topic. Nothing may touch other topics of the cluster.
data "aws_iam_policy_document" "kafka_client" {
  statement {
    sid = "Cluster"
    actions = [
      "kafka-cluster:Connect",
      "kafka-cluster:DescribeCluster",
      "kafka-cluster:WriteDataIdempotently", # the producers are idempotent (enable.idempotence=true)
    ]
    resources = [aws_msk_cluster.this.arn]
  }

  statement {
    sid = "MeridianTopics"
    actions = [
      "kafka-cluster:DescribeTopic",
      "kafka-cluster:DescribeTopicDynamicConfiguration",
      "kafka-cluster:CreateTopic",
      "kafka-cluster:ReadData",
      "kafka-cluster:WriteData",
    ]
    resources = ["${local.msk_topic_arn_prefix}/meridian.*"]
  }

  statement {
    sid = "MeridianConsumerGroups"
    actions = [
      "kafka-cluster:DescribeGroup",
      "kafka-cluster:AlterGroup",
    ]
    resources = ["${local.msk_group_arn_prefix}/meridian*"]
  }
}

resource "aws_iam_role" "gateway_task" {
  name               = "${local.name}-gateway-task"
  assume_role_policy = data.aws_iam_policy_document.ecs_tasks_assume.json
  tags               = local.tags
}

resource "aws_iam_role_policy" "gateway_kafka" {
  name   = "kafka"
  role   = aws_iam_role.gateway_task.id
  policy = data.aws_iam_policy_document.kafka_client.json
}

resource "aws_iam_role" "replicator_task" {
  name               = "${local.name}-replicator-task"
  assume_role_policy = data.aws_iam_policy_document.ecs_tasks_assume.json
  tags               = local.tags
}

resource "aws_iam_role_policy" "replicator_kafka" {
  name   = "kafka"
  role   = aws_iam_role.replicator_task.id
  policy = data.aws_iam_policy_document.kafka_client.json
}
