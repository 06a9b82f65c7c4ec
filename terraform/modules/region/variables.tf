# ---------------------------------------------------------------------------------------------------------------------
# Identity
# ---------------------------------------------------------------------------------------------------------------------

variable "environment" {
  description = "Short environment name (prod, stage, ...). Part of every resource name, so kept short: ALB names are limited to 32 characters."
  type        = string

  validation {
    condition     = can(regex("^[a-z][a-z0-9]{0,5}$", var.environment))
    error_message = "environment must be 1-6 lowercase letters or digits, starting with a letter."
  }
}

variable "meridian_region" {
  description = "Meridian's name for this region (us-east, eu-west, ...), as used in topic names (meridian.<region>.events), session tokens and MERIDIAN_REGION. Not the AWS region name."
  type        = string

  validation {
    condition     = can(regex("^[a-z][a-z0-9-]{0,10}[a-z0-9]$", var.meridian_region))
    error_message = "meridian_region must be 2-12 characters of lowercase letters, digits and hyphens."
  }
}

variable "deployment_regions" {
  description = "Every region of the deployment, this one included, by Meridian region name: the base URL of its gateway (used for forwarding writes to the home region and for remote fills) and its stable numeric id (0-255, part of every version it writes; never renumber a region)."
  type = map(object({
    gateway_url = string
    id          = number
  }))

  validation {
    condition     = alltrue([for r in values(var.deployment_regions) : startswith(r.gateway_url, "https://") && r.id >= 0 && r.id <= 255 && floor(r.id) == r.id])
    error_message = "Every region needs an https:// gateway_url and an integer id in 0..255."
  }

  validation {
    condition     = length(distinct([for r in values(var.deployment_regions) : r.id])) == length(var.deployment_regions)
    error_message = "Region ids must be unique: the id is part of the version origin."
  }
}

variable "tags" {
  description = "Extra tags for every resource. Project, Environment and Region are always set by the module."
  type        = map(string)
  default     = {}
}

# ---------------------------------------------------------------------------------------------------------------------
# Network (existing VPC)
# ---------------------------------------------------------------------------------------------------------------------

variable "vpc_id" {
  description = "Existing VPC to deploy into."
  type        = string

  validation {
    condition     = startswith(var.vpc_id, "vpc-")
    error_message = "vpc_id must be a VPC id (vpc-...)."
  }
}

variable "private_subnet_ids" {
  description = "Private subnets, one per availability zone (2 or 3; MSK accepts no more). Redis, MSK brokers and the Fargate tasks live here. They need a route to the internet (NAT) or VPC endpoints for ECR, Secrets Manager and CloudWatch Logs, and the gateway needs outbound HTTPS to the other regions' gateways."
  type        = list(string)

  validation {
    condition     = length(var.private_subnet_ids) >= 2 && length(var.private_subnet_ids) <= 3 && alltrue([for s in var.private_subnet_ids : startswith(s, "subnet-")])
    error_message = "private_subnet_ids must hold 2 or 3 subnet ids (subnet-...), one per availability zone."
  }
}

variable "alb_subnet_ids" {
  description = "Subnets for the load balancer: public subnets for an internet-facing ALB, private ones when alb_internal = true. At least two availability zones."
  type        = list(string)

  validation {
    condition     = length(var.alb_subnet_ids) >= 2 && alltrue([for s in var.alb_subnet_ids : startswith(s, "subnet-")])
    error_message = "alb_subnet_ids must hold at least 2 subnet ids (subnet-...)."
  }
}

# ---------------------------------------------------------------------------------------------------------------------
# Load balancer
# ---------------------------------------------------------------------------------------------------------------------

variable "alb_internal" {
  description = "Whether the ALB is internal. Internet-facing (false) is the default because other regions' gateways and Route 53 health checkers must reach it; use internal only with cross-region private connectivity."
  type        = bool
  default     = false
}

variable "alb_ingress_cidr_blocks" {
  description = "IPv4 CIDR blocks allowed to reach the ALB on 443 (and 80, which only redirects). Every request is authenticated (API keys; the inter-region API by its own secret); narrow this where clients are known."
  type        = list(string)
  default     = ["0.0.0.0/0"]

  validation {
    condition     = length(var.alb_ingress_cidr_blocks) > 0 && alltrue([for c in var.alb_ingress_cidr_blocks : can(cidrhost(c, 0)) && !strcontains(c, ":")])
    error_message = "alb_ingress_cidr_blocks must be a non-empty list of IPv4 CIDR blocks."
  }
}

variable "certificate_arn" {
  description = "ACM certificate (in this AWS region) for the HTTPS listener. It must cover the global name and this region's own name (e.g. cache.example.com and *.cache.example.com)."
  type        = string

  validation {
    condition     = can(regex("^arn:aws[a-z-]*:acm:", var.certificate_arn))
    error_message = "certificate_arn must be an ACM certificate ARN."
  }
}

variable "alb_ssl_policy" {
  description = "TLS policy of the HTTPS listener."
  type        = string
  default     = "ELBSecurityPolicy-TLS13-1-2-2021-06"
}

variable "alb_deletion_protection" {
  description = "Deletion protection on the ALB. Turn off before destroying an environment."
  type        = bool
  default     = true
}

variable "alb_access_logs_bucket" {
  description = "S3 bucket for ALB access logs (bucket policy must allow the regional ELB account). null disables access logs."
  type        = string
  default     = null
}

# ---------------------------------------------------------------------------------------------------------------------
# Redis (ElastiCache, cluster mode)
# ---------------------------------------------------------------------------------------------------------------------

variable "redis_node_type" {
  description = "ElastiCache node type. Memory-optimised (r7g) because a cache is sized by memory; every shard and replica is one node."
  type        = string
  default     = "cache.r7g.large"

  validation {
    condition     = startswith(var.redis_node_type, "cache.")
    error_message = "redis_node_type must be an ElastiCache node type (cache.*)."
  }
}

variable "redis_engine_version" {
  description = "Redis engine version (7.x). The parameter group family is derived from it."
  type        = string
  default     = "7.1"

  validation {
    condition     = can(regex("^7\\.[0-9]+$", var.redis_engine_version))
    error_message = "redis_engine_version must be a Redis 7 version such as 7.1."
  }
}

variable "redis_shards" {
  description = "Number of node groups (shards) of the Redis Cluster. Adding shards reshards online; the 16384 slots move, keys do not need to be re-homed."
  type        = number
  default     = 3

  validation {
    condition     = var.redis_shards >= 1 && var.redis_shards <= 500 && floor(var.redis_shards) == var.redis_shards
    error_message = "redis_shards must be an integer between 1 and 500."
  }
}

variable "redis_replicas_per_shard" {
  description = "Replicas per shard. At least 1: automatic failover and Multi-AZ need a replica to promote."
  type        = number
  default     = 1

  validation {
    condition     = var.redis_replicas_per_shard >= 1 && var.redis_replicas_per_shard <= 5 && floor(var.redis_replicas_per_shard) == var.redis_replicas_per_shard
    error_message = "redis_replicas_per_shard must be an integer between 1 and 5."
  }
}

variable "redis_auth_token_secret_arn" {
  description = "Secrets Manager secret (plain string, 16-128 printable characters without @, \" or /) holding the Redis AUTH token. Read by Terraform to configure ElastiCache and injected into the tasks as QUARKUS_REDIS_PASSWORD."
  type        = string

  validation {
    condition     = can(regex("^arn:aws[a-z-]*:secretsmanager:", var.redis_auth_token_secret_arn))
    error_message = "redis_auth_token_secret_arn must be a Secrets Manager secret ARN."
  }
}

variable "redis_maxmemory_policy" {
  description = "Eviction policy. volatile-lru evicts only keys with a TTL: every cached value has one, while the write buffer stream (policy buffer), generation counters and watermarks do not and must never be evicted."
  type        = string
  default     = "volatile-lru"

  validation {
    condition     = contains(["volatile-lru", "volatile-lfu", "volatile-ttl", "volatile-random", "allkeys-lru", "allkeys-lfu", "allkeys-random", "noeviction"], var.redis_maxmemory_policy)
    error_message = "redis_maxmemory_policy must be a Redis maxmemory-policy value."
  }
}

variable "redis_snapshot_retention_days" {
  description = "Days of daily snapshots kept (0 disables). The cache can be refilled from the log and the origins, but a snapshot makes a full-region restart warm."
  type        = number
  default     = 1

  validation {
    condition     = var.redis_snapshot_retention_days >= 0 && var.redis_snapshot_retention_days <= 35
    error_message = "redis_snapshot_retention_days must be between 0 and 35."
  }
}

variable "redis_maintenance_window" {
  description = "Weekly maintenance window (UTC, ddd:hh24:mi-ddd:hh24:mi). Must not overlap the snapshot window 03:00-04:00."
  type        = string
  default     = "sun:05:00-sun:06:00"
}

variable "apply_immediately" {
  description = "Apply ElastiCache changes immediately instead of in the maintenance window."
  type        = bool
  default     = false
}

# ---------------------------------------------------------------------------------------------------------------------
# Kafka (MSK)
# ---------------------------------------------------------------------------------------------------------------------

variable "kafka_version" {
  description = "Apache Kafka version of the MSK cluster (2.7.1 or later for multi-VPC connectivity, which cross-region MSK Replicator needs)."
  type        = string
  default     = "3.6.0"
}

variable "msk_instance_type" {
  description = "Broker instance type. Not kafka.t3.small: it supports neither multi-VPC connectivity nor MSK Replicator."
  type        = string
  default     = "kafka.m7g.large"

  validation {
    condition     = startswith(var.msk_instance_type, "kafka.") && var.msk_instance_type != "kafka.t3.small"
    error_message = "msk_instance_type must be an MSK broker type (kafka.*) other than kafka.t3.small."
  }
}

variable "msk_broker_count" {
  description = "Number of brokers; a multiple of the number of private subnets (AZs), and at least 3 so that topics can have replication factor 3 with min.insync.replicas 2."
  type        = number
  default     = 3

  validation {
    condition     = var.msk_broker_count >= 3 && floor(var.msk_broker_count) == var.msk_broker_count
    error_message = "msk_broker_count must be an integer of at least 3."
  }
}

variable "msk_volume_size_gib" {
  description = "EBS volume per broker (GiB). Size it for (write rate x retention x replication factor 3) / brokers, plus the topics replicated in from the other regions."
  type        = number
  default     = 500

  validation {
    condition     = var.msk_volume_size_gib >= 1 && var.msk_volume_size_gib <= 16384
    error_message = "msk_volume_size_gib must be between 1 and 16384."
  }
}

variable "msk_log_retention_hours" {
  description = "Topic retention. It is the catch-up window of a region: a replicator that was away longer finds its offsets gone and bumps the source generation (every copy homed there reads as a miss)."
  type        = number
  default     = 168

  validation {
    condition     = var.msk_log_retention_hours >= 24
    error_message = "msk_log_retention_hours must be at least 24."
  }
}

variable "msk_enhanced_monitoring" {
  description = "MSK CloudWatch monitoring level."
  type        = string
  default     = "PER_TOPIC_PER_BROKER"

  validation {
    condition     = contains(["DEFAULT", "PER_BROKER", "PER_TOPIC_PER_BROKER", "PER_TOPIC_PER_PARTITION"], var.msk_enhanced_monitoring)
    error_message = "msk_enhanced_monitoring must be DEFAULT, PER_BROKER, PER_TOPIC_PER_BROKER or PER_TOPIC_PER_PARTITION."
  }
}

variable "msk_kms_key_arn" {
  description = "KMS key for MSK encryption at rest. null uses the AWS-managed aws/msk key."
  type        = string
  default     = null
}

variable "msk_multi_vpc_enabled" {
  description = "Turn on multi-VPC private connectivity (SASL/IAM) and attach the cluster policy that lets MSK Replicator in other regions read this cluster. MSK rejects this at cluster creation, so it is false on the first apply and switched on by a second apply (see README)."
  type        = bool
  default     = false
}

variable "event_topic_partitions" {
  description = "Partitions of the region's event topic when the gateway creates it (meridian.event-log.partitions). Upper bound on replicator consumers per source region."
  type        = number
  default     = 12

  validation {
    condition     = var.event_topic_partitions >= 1 && floor(var.event_topic_partitions) == var.event_topic_partitions
    error_message = "event_topic_partitions must be a positive integer."
  }
}

# ---------------------------------------------------------------------------------------------------------------------
# Services (ECS Fargate)
# ---------------------------------------------------------------------------------------------------------------------

variable "gateway_image" {
  description = "Container image of region-gateway, pinned by digest or immutable tag (the same image runs in every region)."
  type        = string
}

variable "replicator_image" {
  description = "Container image of replicator, pinned by digest or immutable tag."
  type        = string
}

variable "cpu_architecture" {
  description = "Fargate CPU architecture; ARM64 (Graviton) is cheaper if the images are built for it."
  type        = string
  default     = "X86_64"

  validation {
    condition     = contains(["X86_64", "ARM64"], var.cpu_architecture)
    error_message = "cpu_architecture must be X86_64 or ARM64."
  }
}

variable "gateway_cpu" {
  description = "Fargate CPU units per gateway task (1024 = 1 vCPU)."
  type        = number
  default     = 1024
}

variable "gateway_memory" {
  description = "Fargate memory per gateway task (MiB). The JVM heap gets 75% of it (the L1 near cache lives there)."
  type        = number
  default     = 2048
}

variable "gateway_min_count" {
  description = "Minimum (and initial) number of gateway tasks; at least one per availability zone."
  type        = number
  default     = 3

  validation {
    condition     = var.gateway_min_count >= 1
    error_message = "gateway_min_count must be at least 1."
  }
}

variable "gateway_max_count" {
  description = "Maximum number of gateway tasks under CPU autoscaling. At most 256: the gateway's node id (0..255) is part of the version origin."
  type        = number
  default     = 30

  validation {
    condition     = var.gateway_max_count >= 1 && var.gateway_max_count <= 256
    error_message = "gateway_max_count must be between 1 and 256."
  }
}

variable "gateway_cpu_target_percent" {
  description = "Average CPU the gateway service is scaled to hold. Below the gateway's own ADVISORY threshold (CPU > 75%), so capacity is added before the gateway starts switching features off."
  type        = number
  default     = 60

  validation {
    condition     = var.gateway_cpu_target_percent >= 20 && var.gateway_cpu_target_percent <= 90
    error_message = "gateway_cpu_target_percent must be between 20 and 90."
  }
}

variable "replicator_cpu" {
  description = "Fargate CPU units per replicator task."
  type        = number
  default     = 512
}

variable "replicator_memory" {
  description = "Fargate memory per replicator task (MiB)."
  type        = number
  default     = 1024
}

variable "replicator_count" {
  description = "Replicator tasks. They share one consumer group per source region, so more tasks than event_topic_partitions sit idle; 2 keeps a warm standby."
  type        = number
  default     = 2

  validation {
    condition     = var.replicator_count >= 1
    error_message = "replicator_count must be at least 1."
  }
}

variable "internal_secret_arn" {
  description = "Secrets Manager secret holding the shared secret of the inter-region API (MERIDIAN_INTERNAL_SECRET). The value must be the same in every region: use one secret replicated to each region."
  type        = string

  validation {
    condition     = can(regex("^arn:aws[a-z-]*:secretsmanager:", var.internal_secret_arn))
    error_message = "internal_secret_arn must be a Secrets Manager secret ARN."
  }
}

variable "secrets_kms_key_arn" {
  description = "Customer-managed KMS key that encrypts the secrets, if any; the task execution role gets kms:Decrypt on it. null when the secrets use the AWS-managed key."
  type        = string
  default     = null
}

variable "extra_environment" {
  description = "Additional environment variables for both services (e.g. namespace configuration). Overrides the module's values on a name clash."
  type        = map(string)
  default     = {}
}

variable "extra_secrets" {
  description = "Additional secrets for both services: environment variable name => Secrets Manager secret ARN (e.g. API keys)."
  type        = map(string)
  default     = {}
}

variable "container_health_check_command" {
  description = "Container health check (ECS CMD-SHELL form) for both services. The default needs curl in the image (UBI minimal has it, UBI micro does not); replace it if the image has another client."
  type        = list(string)
  default     = ["CMD-SHELL", "curl -fsS http://localhost:8080/q/health/ready || exit 1"]
}

variable "log_retention_days" {
  description = "Retention of the CloudWatch log groups."
  type        = number
  default     = 30

  validation {
    condition     = contains([1, 3, 5, 7, 14, 30, 60, 90, 120, 150, 180, 365, 400, 545, 731, 1096, 1827, 2192, 2557, 2922, 3288, 3653], var.log_retention_days)
    error_message = "log_retention_days must be a value CloudWatch Logs accepts (1, 3, 5, 7, 14, 30, 60, 90, ...)."
  }
}
