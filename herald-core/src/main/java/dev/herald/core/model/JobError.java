package dev.herald.core.model;

/** Why a job failed, as its worker reported it. */
public record JobError(String code, String message) {
}
