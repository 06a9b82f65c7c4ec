output "replicator_arns" {
  description = "ARN of each replicator into the target region, by source region."
  value       = { for source, r in aws_msk_replicator.from : source => r.arn }
}

output "execution_role_arn" {
  description = "Service execution role of the replicators."
  value       = aws_iam_role.replicator.arn
}
