# Cross-region topic replication into one region: one aws_msk_replicator per source region, created in the target's
# AWS region (MSK Replicator always runs in the target region). Applied once per region, this gives one replicator
# per ordered pair of regions: N x (N - 1) in all.
#
# What is replicated, and how:
#   - Only the source's own topics, meridian\.<source>\.(events|hotkeys). Each region's cluster also holds copies of
#     the other regions' topics; replicating those again would send every event around the mesh twice.
#   - Topic names stay IDENTICAL, so the replicator service in the target consumes meridian.<source>.events under the
#     same name in every region and in local runs.
#   - MSK Replicator keeps records in the same partition, so per-key order (events are keyed by namespace+key) is
#     preserved. Offsets differ between clusters; Meridian's watermarks are HLC values, not offsets, so that is fine.
#   - No consumer groups and no ACLs are copied: every region's replicator has its own consumer group on its own
#     cluster, and copying translated offsets from another region could move that group's position.

data "aws_partition" "current" {}

locals {
  tags = merge(var.tags, {
    Project     = "meridian"
    Environment = var.environment
    Region      = var.target.name
    ManagedBy   = "terraform"
  })
}

data "aws_iam_policy_document" "assume" {
  statement {
    actions = ["sts:AssumeRole"]

    principals {
      type        = "Service"
      identifiers = ["kafka.amazonaws.com"]
    }
  }
}

# Service execution role of the replicators into this region: IAM access to source and target clusters.
resource "aws_iam_role" "replicator" {
  name               = "meridian-${var.environment}-msk-replicator-into-${var.target.name}"
  assume_role_policy = data.aws_iam_policy_document.assume.json
  tags               = local.tags
}

resource "aws_iam_role_policy_attachment" "replicator" {
  role       = aws_iam_role.replicator.name
  policy_arn = "arn:${data.aws_partition.current.partition}:iam::aws:policy/service-role/AWSMSKReplicatorExecutionRole"
}

resource "aws_msk_replicator" "from" {
  for_each = var.sources

  replicator_name            = "meridian-${var.environment}-${each.key}-to-${var.target.name}"
  description                = "Meridian: topics of ${each.key} into ${var.target.name}"
  service_execution_role_arn = aws_iam_role.replicator.arn

  # Source cluster (reached over multi-VPC connectivity; the network interfaces are in its own VPC).
  kafka_cluster {
    amazon_msk_cluster {
      msk_cluster_arn = each.value.msk_cluster_arn
    }

    vpc_config {
      subnet_ids          = each.value.subnet_ids
      security_groups_ids = [each.value.security_group_id]
    }
  }

  # Target cluster (this region).
  kafka_cluster {
    amazon_msk_cluster {
      msk_cluster_arn = var.target.msk_cluster_arn
    }

    vpc_config {
      subnet_ids          = var.target.subnet_ids
      security_groups_ids = [var.target.security_group_id]
    }
  }

  replication_info_list {
    source_kafka_cluster_arn = each.value.msk_cluster_arn
    target_kafka_cluster_arn = var.target.msk_cluster_arn
    target_compression_type  = var.target_compression_type

    topic_replication {
      topics_to_replicate                  = [for kind in var.topic_kinds : "meridian\\.${each.key}\\.${kind}"]
      detect_and_copy_new_topics           = true
      copy_topic_configurations            = true
      copy_access_control_lists_for_topics = false

      starting_position {
        type = var.starting_position
      }

      topic_name_configuration {
        type = "IDENTICAL"
      }
    }

    # The block is required; everything is excluded and offset synchronisation is off (see above).
    consumer_group_replication {
      consumer_groups_to_replicate        = [".*"]
      consumer_groups_to_exclude          = [".*"]
      detect_and_copy_new_consumer_groups = false
      synchronise_consumer_group_offsets  = false
    }
  }

  tags = merge(local.tags, { SourceRegion = each.key })

  depends_on = [aws_iam_role_policy_attachment.replicator]
}
