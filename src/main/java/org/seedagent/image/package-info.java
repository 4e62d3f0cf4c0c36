/**
 * {@code seed-agent prepare-image}: what an image of a running seed would contain that it should not
 * (seed-agent's instance-specific files, AWS credentials, condor_annex key files, shell history lines that
 * set AWS keys) and what it must keep (the pool password, the instance profile), and the clean-up.
 *
 * <p>The shape is survey, plan, apply: {@link ImageSurvey} reads the file system (under a root directory,
 * so tests use a temporary tree) into {@link Finding}s; {@link Plan} decides what to do with each, a pure
 * function of the findings and the operator's flags; {@link ImageCleaner} applies the plan;
 * {@link ImageReport} renders it as text or JSON and gives the exit status. No secret's value is ever
 * kept in a finding: paths, line numbers and names only.
 */
package org.seedagent.image;
