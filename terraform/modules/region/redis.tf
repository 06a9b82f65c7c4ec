# ElastiCache for Redis in cluster mode.
#
# Why cluster mode: a region's working set grows past one node, and Redis Cluster shards by hash slot with the client
# routing each key to its slot's primary, so adding shards (num_node_groups) adds memory and write throughput without a
# proxy tier. Meridian was built for it: every Lua script touches exactly one key, so nothing fails with CROSSSLOT.
# Each shard has replicas in other AZs and ElastiCache promotes one when a primary fails (automatic failover).

resource "aws_elasticache_subnet_group" "redis" {
  name        = local.name
  description = "Meridian ${var.meridian_region} Redis subnets"
  subnet_ids  = var.private_subnet_ids
  tags        = local.tags
}

resource "aws_elasticache_parameter_group" "redis" {
  name        = "${local.name}-redis${split(".", var.redis_engine_version)[0]}"
  family      = "redis${split(".", var.redis_engine_version)[0]}"
  description = "Meridian ${var.meridian_region}: Redis Cluster parameters"

  # cluster-enabled is what makes the replication group a Redis Cluster (slots, CLUSTER SLOTS, MOVED/ASK);
  # num_node_groups > 1 requires it.
  parameter {
    name  = "cluster-enabled"
    value = "yes"
  }

  # Evict only keys with a TTL. Cached values always carry one; the buffer stream of policy `buffer`, source
  # generations and watermarks do not, and losing them to eviction would lose writes or serve stale copies.
  parameter {
    name  = "maxmemory-policy"
    value = var.redis_maxmemory_policy
  }

  tags = local.tags
}

# The AUTH token is read from Secrets Manager so that it is set once, in one place, and the tasks receive the same
# secret as QUARKUS_REDIS_PASSWORD. Terraform state holds it in clear text: the state backend must be encrypted and
# access-controlled (see README).
data "aws_secretsmanager_secret_version" "redis_auth" {
  secret_id = var.redis_auth_token_secret_arn
}

resource "aws_cloudwatch_log_group" "redis_slow_log" {
  name              = "${local.log_group_prefix}/redis/slow-log"
  retention_in_days = var.log_retention_days
  tags              = local.tags
}

resource "aws_elasticache_replication_group" "redis" {
  replication_group_id = local.name
  description          = "Meridian ${var.meridian_region} cache (Redis Cluster)"

  engine               = "redis"
  engine_version       = var.redis_engine_version
  node_type            = var.redis_node_type
  port                 = local.redis_port
  parameter_group_name = aws_elasticache_parameter_group.redis.name
  subnet_group_name    = aws_elasticache_subnet_group.redis.name
  security_group_ids   = [aws_security_group.redis.id]

  # Cluster mode: shards x (1 primary + replicas).
  num_node_groups            = var.redis_shards
  replicas_per_node_group    = var.redis_replicas_per_shard
  automatic_failover_enabled = true
  multi_az_enabled           = true

  # TLS in transit (clients use rediss://) and AUTH. ROTATE keeps the previous token valid while tasks pick up a
  # new one; a later apply with the same token completes the rotation.
  transit_encryption_enabled = true
  auth_token                 = data.aws_secretsmanager_secret_version.redis_auth.secret_string
  auth_token_update_strategy = "ROTATE"
  at_rest_encryption_enabled = true

  snapshot_retention_limit   = var.redis_snapshot_retention_days
  snapshot_window            = "03:00-04:00"
  maintenance_window         = var.redis_maintenance_window
  auto_minor_version_upgrade = true
  apply_immediately          = var.apply_immediately

  log_delivery_configuration {
    destination      = aws_cloudwatch_log_group.redis_slow_log.name
    destination_type = "cloudwatch-logs"
    log_format       = "json"
    log_type         = "slow-log"
  }

  tags = local.tags
}
