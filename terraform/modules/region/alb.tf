# Application Load Balancer in front of the gateway: TLS termination, HTTP health checks on the readiness endpoint,
# and the alias target of the latency-based DNS records. (An NLB would pass TLS through but could only health-check
# TCP or give up the HTTP readiness semantics; the gateway speaks HTTP only, so an ALB is the natural fit.)

resource "aws_lb" "gateway" {
  name               = "${local.name}-gw"
  internal           = var.alb_internal
  load_balancer_type = "application"
  security_groups    = [aws_security_group.alb.id]
  subnets            = var.alb_subnet_ids

  idle_timeout               = 60
  drop_invalid_header_fields = true
  enable_deletion_protection = var.alb_deletion_protection

  dynamic "access_logs" {
    for_each = var.alb_access_logs_bucket == null ? [] : [var.alb_access_logs_bucket]
    content {
      bucket  = access_logs.value
      prefix  = local.name
      enabled = true
    }
  }

  tags = local.tags
}

resource "aws_lb_target_group" "gateway" {
  name        = "${local.name}-gw"
  port        = local.http_port
  protocol    = "HTTP"
  target_type = "ip" # Fargate tasks (awsvpc) register by IP
  vpc_id      = var.vpc_id

  # Short drain: requests are bounded by meridian.request-timeout (2 s by default).
  deregistration_delay = 30

  # Readiness, not liveness: a gateway is ready only once Redis and Kafka are reachable and its shards are warm,
  # so a new task takes traffic when it can serve it. If every target turns unhealthy the ALB fails open and
  # keeps routing to all of them, and Route 53 moves clients to another region (see modules/global).
  health_check {
    enabled             = true
    path                = local.health_path
    port                = "traffic-port"
    protocol            = "HTTP"
    matcher             = "200"
    interval            = 10
    timeout             = 5
    healthy_threshold   = 2
    unhealthy_threshold = 3
  }

  tags = local.tags
}

resource "aws_lb_listener" "https" {
  load_balancer_arn = aws_lb.gateway.arn
  port              = 443
  protocol          = "HTTPS"
  ssl_policy        = var.alb_ssl_policy
  certificate_arn   = var.certificate_arn

  default_action {
    type             = "forward"
    target_group_arn = aws_lb_target_group.gateway.arn
  }

  tags = local.tags
}

resource "aws_lb_listener" "http_redirect" {
  load_balancer_arn = aws_lb.gateway.arn
  port              = 80
  protocol          = "HTTP"

  default_action {
    type = "redirect"

    redirect {
      port        = "443"
      protocol    = "HTTPS"
      status_code = "HTTP_301"
    }
  }

  tags = local.tags
}
