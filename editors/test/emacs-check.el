;;; emacs-check.el --- run by emacs.sh: checks editors/emacs/manifest-lint.el in batch Emacs  -*- lexical-binding: t; -*-
(require 'cl-lib)
(let* ((proj (file-name-as-directory (getenv "PROJ")))
       (failures nil)
       (check (lambda (ok what) (unless ok (push what failures)))))
  (load (expand-file-name "../emacs/manifest-lint.el" (file-name-directory load-file-name)) nil t)
  (setq-default eglot-workspace-configuration
                '(:manifestLint (:online :json-false :registryTimeout 10 :inlayHints t
                                 :rules (:glob-scope "warning"))))
  (setq eglot-sync-connect 10)
  ;; Open the manifest: the mode hook calls eglot-ensure, which connects after the next command.
  (with-current-buffer (find-file-noselect (concat proj "Packages/manifest.json"))
    (funcall check (eq major-mode 'unity-manifest-mode) (format "manifest in %s" major-mode))
    (run-hooks 'post-command-hook)
    ;; Done when the diagnostic the server must publish (the fake server's `fake-rule', or the
    ;; real rule id in EXPECT_CODE) reaches Flymake, whose text Eglot writes as
    ;; "source [code]: message"; for the fake server, also once it logged the configuration.
    (let ((tag (format "[%s]" (or (getenv "EXPECT_CODE") "fake-rule"))))
      (with-timeout (20 (funcall check nil (format "timed out waiting for a %s diagnostic; have %S"
                                                   tag (mapcar #'flymake-diagnostic-text (flymake-diagnostics)))))
        (while (not (and (eglot-current-server)
                         (cl-some (lambda (d) (string-search tag (flymake-diagnostic-text d)))
                                  (flymake-diagnostics))
                         (or (getenv "EXPECT_CODE")
                             (string-match-p "configuration" (with-temp-buffer
                                                               (insert-file-contents (getenv "FAKE_SERVER_LOG"))
                                                               (buffer-string))))))
          ;; Batch Emacs shows no window, so Flymake's deferred start never fires: start it.
          (when (bound-and-true-p flymake-mode) (flymake-start nil t))
          (accept-process-output nil 0.1))))
    (funcall check (eglot-current-server) "no Eglot server for the manifest"))
  ;; Another manifest.json is plain JSON and gets no server.
  (with-current-buffer (find-file-noselect (concat proj "web/manifest.json"))
    (run-hooks 'post-command-hook)
    (accept-process-output nil 0.5)
    (funcall check (not (eq major-mode 'unity-manifest-mode)) "web/manifest.json is in unity-manifest-mode")
    (funcall check (null (eglot-current-server)) "web/manifest.json has an Eglot server"))
  (dolist (server (cl-loop for servers being the hash-values of eglot--servers-by-project append servers))
    (ignore-errors (eglot-shutdown server nil 5)))
  (if failures
      (progn (princ (format "emacs: %s\n" (mapconcat #'identity failures "\nemacs: ")) #'external-debugging-output)
             (kill-emacs 1))
    (kill-emacs 0)))
