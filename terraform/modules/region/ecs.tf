# ECS Fargate: one cluster per region with two services, region-gateway (behind the ALB, autoscaled on CPU) and
# replicator (no load balancer; a fixed number of consumers).

resource "aws_ecs_cluster" "this" {
  name = local.name

  setting {
    name  = "containerInsights"
    value = "enabled"
  }

  tags = local.tags
}

resource "aws_cloudwatch_log_group" "gateway" {
  name              = "${local.log_group_prefix}/region-gateway"
  retention_in_days = var.log_retention_days
  tags              = local.tags
}

resource "aws_cloudwatch_log_group" "replicator" {
  name              = "${local.log_group_prefix}/replicator"
  retention_in_days = var.log_retention_days
  tags              = local.tags
}

locals {
  # The region map (meridian.regions.<name>.*) is passed with the exact property names as environment variable
  # names. Region names contain hyphens, and the upper-case MERIDIAN_REGIONS_US_EAST_... form cannot tell a hyphen
  # in a map key from a dot; SmallRye Config matches an environment variable named exactly like the property first.
  region_map_environment = merge([
    for name, r in var.deployment_regions : {
      "meridian.regions.${name}.gateway-url" = r.gateway_url
      "meridian.regions.${name}.id"          = tostring(r.id)
    }
  ]...)

  common_environment = merge(
    {
      MERIDIAN_REGION = var.meridian_region

      # Redis Cluster over TLS through the configuration endpoint; the client discovers the shards from there.
      QUARKUS_REDIS_HOSTS       = "rediss://${aws_elasticache_replication_group.redis.configuration_endpoint_address}:${local.redis_port}"
      QUARKUS_REDIS_CLIENT_TYPE = "cluster"

      # MSK with IAM authentication (needs software.amazon.msk:aws-msk-iam-auth on the application class path).
      KAFKA_BOOTSTRAP_SERVERS                  = aws_msk_cluster.this.bootstrap_brokers_sasl_iam
      KAFKA_SECURITY_PROTOCOL                  = "SASL_SSL"
      KAFKA_SASL_MECHANISM                     = "AWS_MSK_IAM"
      KAFKA_SASL_JAAS_CONFIG                   = "software.amazon.msk.auth.iam.IAMLoginModule required;"
      KAFKA_SASL_CLIENT_CALLBACK_HANDLER_CLASS = "software.amazon.msk.auth.iam.IAMClientCallbackHandler"

      # The gateway creates its topic when missing (auto-creation is off on the brokers): replicated three times.
      MERIDIAN_EVENT_LOG_REPLICATION_FACTOR = "3"
      MERIDIAN_EVENT_LOG_PARTITIONS         = tostring(var.event_topic_partitions)

      # The JVM sizes its heap from the container limit; fail fast on OOM so ECS replaces the task.
      JAVA_TOOL_OPTIONS = "-XX:MaxRAMPercentage=75 -XX:+ExitOnOutOfMemoryError"
    },
    local.region_map_environment,
    var.extra_environment,
  )

  common_secrets = merge(
    {
      MERIDIAN_INTERNAL_SECRET = var.internal_secret_arn
      QUARKUS_REDIS_PASSWORD   = var.redis_auth_token_secret_arn
    },
    var.extra_secrets,
  )

  services = {
    gateway = {
      container_name = "region-gateway"
      image          = var.gateway_image
      log_group      = aws_cloudwatch_log_group.gateway.name
    }
    replicator = {
      container_name = "replicator"
      image          = var.replicator_image
      log_group      = aws_cloudwatch_log_group.replicator.name
    }
  }

  container_definitions = {
    for key, svc in local.services : key => {
      name      = svc.container_name
      image     = svc.image
      essential = true

      portMappings = [{
        name          = "http"
        containerPort = local.http_port
        hostPort      = local.http_port
        protocol      = "tcp"
      }]

      environment = [for k in sort(keys(local.common_environment)) : { name = k, value = local.common_environment[k] }]
      secrets     = [for k in sort(keys(local.common_secrets)) : { name = k, valueFrom = local.common_secrets[k] }]

      # Readiness as container health: a replicator that lost Redis or Kafka for good is replaced by ECS.
      healthCheck = {
        command     = var.container_health_check_command
        interval    = 15
        timeout     = 5
        retries     = 3
        startPeriod = 90
      }

      # Leave time to finish in-flight requests and commit consumer offsets after SIGTERM.
      stopTimeout = 30

      ulimits = [{
        name      = "nofile"
        softLimit = 65536
        hardLimit = 65536
      }]

      logConfiguration = {
        logDriver = "awslogs"
        options = {
          awslogs-group         = svc.log_group
          awslogs-region        = data.aws_region.current.name
          awslogs-stream-prefix = key
        }
      }
    }
  }
}

# --- region-gateway ----------------------------------------------------------------------------------------------------

resource "aws_ecs_task_definition" "gateway" {
  family                   = "${local.name}-gateway"
  requires_compatibilities = ["FARGATE"]
  network_mode             = "awsvpc"
  cpu                      = var.gateway_cpu
  memory                   = var.gateway_memory
  execution_role_arn       = aws_iam_role.execution.arn
  task_role_arn            = aws_iam_role.gateway_task.arn
  container_definitions    = jsonencode([local.container_definitions.gateway])

  runtime_platform {
    operating_system_family = "LINUX"
    cpu_architecture        = var.cpu_architecture
  }

  tags = local.tags

  lifecycle {
    precondition {
      condition     = contains(keys(var.deployment_regions), var.meridian_region)
      error_message = "deployment_regions must contain this region (meridian_region): the gateway requires its own region in the region map."
    }
  }
}

resource "aws_ecs_service" "gateway" {
  name             = "region-gateway"
  cluster          = aws_ecs_cluster.this.id
  task_definition  = aws_ecs_task_definition.gateway.arn
  desired_count    = var.gateway_min_count
  launch_type      = "FARGATE"
  platform_version = "LATEST"

  # JVM start plus warming before /q/health/ready turns green.
  health_check_grace_period_seconds = 120

  # Rolling deployment that never drops below the current capacity, rolled back automatically if new tasks
  # do not become healthy.
  deployment_minimum_healthy_percent = 100
  deployment_maximum_percent         = 200

  deployment_circuit_breaker {
    enable   = true
    rollback = true
  }

  network_configuration {
    subnets          = var.private_subnet_ids
    security_groups  = [aws_security_group.gateway.id]
    assign_public_ip = false
  }

  load_balancer {
    target_group_arn = aws_lb_target_group.gateway.arn
    container_name   = local.services.gateway.container_name
    container_port   = local.http_port
  }

  enable_ecs_managed_tags = true
  propagate_tags          = "SERVICE"
  tags                    = local.tags

  # The autoscaler owns desired_count after creation.
  lifecycle {
    ignore_changes = [desired_count]
  }

  # The target group must be attached to the ALB, and the secrets readable, before tasks start.
  depends_on = [
    aws_lb_listener.https,
    aws_iam_role_policy.execution_secrets,
    aws_iam_role_policy_attachment.execution,
  ]
}

resource "aws_appautoscaling_target" "gateway" {
  service_namespace  = "ecs"
  resource_id        = "service/${aws_ecs_cluster.this.name}/${aws_ecs_service.gateway.name}"
  scalable_dimension = "ecs:service:DesiredCount"
  min_capacity       = var.gateway_min_count
  max_capacity       = var.gateway_max_count
  tags               = local.tags
}

resource "aws_appautoscaling_policy" "gateway_cpu" {
  name               = "${local.name}-gateway-cpu"
  policy_type        = "TargetTrackingScaling"
  service_namespace  = aws_appautoscaling_target.gateway.service_namespace
  resource_id        = aws_appautoscaling_target.gateway.resource_id
  scalable_dimension = aws_appautoscaling_target.gateway.scalable_dimension

  target_tracking_scaling_policy_configuration {
    target_value = var.gateway_cpu_target_percent

    # Scale out fast, scale in slowly: a new gateway starts with a cold L1 and pays JVM warm-up.
    scale_out_cooldown = 60
    scale_in_cooldown  = 300

    predefined_metric_specification {
      predefined_metric_type = "ECSServiceAverageCPUUtilization"
    }
  }
}

# --- replicator --------------------------------------------------------------------------------------------------------

resource "aws_ecs_task_definition" "replicator" {
  family                   = "${local.name}-replicator"
  requires_compatibilities = ["FARGATE"]
  network_mode             = "awsvpc"
  cpu                      = var.replicator_cpu
  memory                   = var.replicator_memory
  execution_role_arn       = aws_iam_role.execution.arn
  task_role_arn            = aws_iam_role.replicator_task.arn
  container_definitions    = jsonencode([local.container_definitions.replicator])

  runtime_platform {
    operating_system_family = "LINUX"
    cpu_architecture        = var.cpu_architecture
  }

  tags = local.tags
}

resource "aws_ecs_service" "replicator" {
  name             = "replicator"
  cluster          = aws_ecs_cluster.this.id
  task_definition  = aws_ecs_task_definition.replicator.arn
  desired_count    = var.replicator_count
  launch_type      = "FARGATE"
  platform_version = "LATEST"

  # Consumers rebalance on every membership change; replacing one task at a time keeps the group applying.
  deployment_minimum_healthy_percent = 100
  deployment_maximum_percent         = 200

  deployment_circuit_breaker {
    enable   = true
    rollback = true
  }

  network_configuration {
    subnets          = var.private_subnet_ids
    security_groups  = [aws_security_group.replicator.id]
    assign_public_ip = false
  }

  enable_ecs_managed_tags = true
  propagate_tags          = "SERVICE"
  tags                    = local.tags

  depends_on = [
    aws_iam_role_policy.execution_secrets,
    aws_iam_role_policy_attachment.execution,
  ]
}
