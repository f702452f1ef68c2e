import type { ComponentPropsWithRef } from "react";

import styles from "./button.module.css";

export type ButtonVariant = "primary" | "secondary" | "danger" | "ghost";
export type ButtonSize = "sm" | "md";

type ButtonProps = ComponentPropsWithRef<"button"> & {
  variant?: ButtonVariant;
  size?: ButtonSize;
  /** A request is running: the button is disabled and announces itself busy. */
  pending?: boolean;
};

/** The attributes that style a link as a button (for next/link to a page). */
export function buttonProps(variant: ButtonVariant = "secondary", size: ButtonSize = "md") {
  return { className: styles.button, "data-variant": variant, "data-size": size };
}

export function Button({
  variant = "secondary",
  size = "md",
  pending = false,
  type = "button",
  disabled,
  className,
  children,
  ...rest
}: ButtonProps) {
  const base = buttonProps(variant, size);
  return (
    <button
      {...rest}
      {...base}
      type={type}
      className={className ? `${base.className} ${className}` : base.className}
      disabled={disabled || pending}
      aria-busy={pending || undefined}
    >
      {pending && <span className={styles.spinner} aria-hidden="true" />}
      {children}
    </button>
  );
}
