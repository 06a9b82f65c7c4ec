# Amazon MSK: the region's event log. The home gateway produces every write to meridian.<region>.events with
# acks=all before applying it, so this cluster is what "no acknowledged write is lost" rests on.

resource "aws_msk_configuration" "this" {
  # Configuration names allow no dots; one configuration per Kafka version, replaced before the old one goes.
  name           = "${local.name}-${replace(var.kafka_version, ".", "-")}"
  kafka_versions = [var.kafka_version]
  description    = "Meridian ${var.meridian_region} broker configuration"

  # min.insync.replicas=2 with replication factor 3: acks=all only means "acknowledged by every in-sync replica",
  # and with the default min.insync.replicas=1 the in-sync set may shrink to the leader alone, so an acknowledged
  # write could live on one broker and vanish with it. With 2, an acknowledged write is on at least two brokers in
  # two AZs, and producing keeps working while one broker is down (MSK patches brokers one at a time).
  #
  # unclean.leader.election.enable=false: an out-of-sync replica never becomes leader, which would silently
  # truncate acknowledged events. Kafka prefers unavailability (the gateway answers 503 or buffers) to loss.
  #
  # auto.create.topics.enable=false: a consumer asking for a mistyped or not-yet-replicated topic must not create it
  # with broker defaults. The gateway creates its own topic explicitly (replication factor 3), MSK Replicator creates
  # the copies of the other regions' topics.
  #
  # message.max.bytes / replica.fetch.max.bytes: an event carries a value up to 1 MiB (meridian.event-log.max-value-bytes)
  # plus its header and key, which exceeds the broker default of 1 MB + 12 bytes.
  #
  # log.retention.hours: how long a region can be away and still catch up from the log.
  server_properties = <<-EOT
    auto.create.topics.enable=false
    default.replication.factor=3
    min.insync.replicas=2
    unclean.leader.election.enable=false
    num.partitions=${var.event_topic_partitions}
    log.retention.hours=${var.msk_log_retention_hours}
    message.max.bytes=2097152
    replica.fetch.max.bytes=2097152
  EOT

  lifecycle {
    create_before_destroy = true
  }
}

resource "aws_cloudwatch_log_group" "msk" {
  name              = "${local.log_group_prefix}/msk/brokers"
  retention_in_days = var.log_retention_days
  tags              = local.tags
}

resource "aws_msk_cluster" "this" {
  cluster_name           = local.name
  kafka_version          = var.kafka_version
  number_of_broker_nodes = var.msk_broker_count

  broker_node_group_info {
    instance_type   = var.msk_instance_type
    client_subnets  = var.private_subnet_ids
    security_groups = [aws_security_group.msk.id]

    storage_info {
      ebs_storage_info {
        volume_size = var.msk_volume_size_gib
      }
    }

    # Multi-VPC private connectivity (SASL/IAM) is how MSK Replicator in another region reads this cluster.
    # MSK refuses it at creation time, hence the flag and the two-step bootstrap described in the README.
    dynamic "connectivity_info" {
      for_each = var.msk_multi_vpc_enabled ? [1] : []
      content {
        vpc_connectivity {
          client_authentication {
            sasl {
              iam = true
            }
          }
        }
      }
    }
  }

  # IAM only: the tasks authenticate with their task role, no passwords to rotate. Port 9098.
  client_authentication {
    unauthenticated = false
    sasl {
      iam = true
    }
  }

  encryption_info {
    encryption_at_rest_kms_key_arn = var.msk_kms_key_arn
    encryption_in_transit {
      client_broker = "TLS"
      in_cluster    = true
    }
  }

  configuration_info {
    arn      = aws_msk_configuration.this.arn
    revision = aws_msk_configuration.this.latest_revision
  }

  enhanced_monitoring = var.msk_enhanced_monitoring

  open_monitoring {
    prometheus {
      jmx_exporter {
        enabled_in_broker = true
      }
      node_exporter {
        enabled_in_broker = true
      }
    }
  }

  logging_info {
    broker_logs {
      cloudwatch_logs {
        enabled   = true
        log_group = aws_cloudwatch_log_group.msk.name
      }
    }
  }

  tags = local.tags

  lifecycle {
    precondition {
      condition     = var.msk_broker_count % length(var.private_subnet_ids) == 0
      error_message = "msk_broker_count must be a multiple of the number of private subnets (MSK spreads brokers evenly over the AZs)."
    }
  }
}

# Lets the MSK Replicator service (running in the other regions, under this account) open a multi-VPC connection to
# this cluster. Only valid once multi-VPC connectivity is on.
resource "aws_msk_cluster_policy" "replicator" {
  count = var.msk_multi_vpc_enabled ? 1 : 0

  cluster_arn = aws_msk_cluster.this.arn
  policy = jsonencode({
    Version = "2012-10-17"
    Statement = [{
      Sid       = "MskReplicatorReadsThisCluster"
      Effect    = "Allow"
      Principal = { Service = "kafka.amazonaws.com" }
      Action = [
        "kafka:CreateVpcConnection",
        "kafka:GetBootstrapBrokers",
        "kafka:DescribeClusterV2",
      ]
      Resource = aws_msk_cluster.this.arn
    }]
  })
}
